package io.fleetcore.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One frame in flight per connection: the next frame goes to the route only once the reply to the previous
 * one has been written. Replies therefore leave in the order the frames came, whatever path each took
 * (stored, refused, dead-lettered). While frames queue up, reading from the socket stops, so a fast sender
 * cannot make the server buffer without bound. Sits after the frame decoder; one instance per connection.
 */
public final class ReplySequencer extends ChannelDuplexHandler {

    /** frames queued beyond this stop socket reads until the queue drains */
    static final int MAX_QUEUED = 64;

    private final Queue<Object> waiting = new ArrayDeque<>();
    private boolean inFlight;
    private boolean readsPaused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        if (inFlight) {
            waiting.add(frame);
            if (waiting.size() >= MAX_QUEUED && !readsPaused) {
                readsPaused = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        inFlight = true;
        ctx.fireChannelRead(frame);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object reply, ChannelPromise promise) {
        ctx.write(reply, promise);
        Object next = waiting.poll();
        if (next == null) {
            inFlight = false;
        } else {
            ctx.fireChannelRead(next);
        }
        if (readsPaused && waiting.size() < MAX_QUEUED / 2) {
            readsPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Object frame; (frame = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(frame);
        }
        super.channelInactive(ctx);
    }
}
