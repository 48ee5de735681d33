package io.fleetcore.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One frame in flight per connection: the next frame goes to the route only once the reply to the previous
 * one has been written. Replies therefore leave in the order the frames came, whatever path each took
 * (stored, refused, dead-lettered). While frames queue up, reading from the socket stops, so a fast sender
 * cannot make the server buffer without bound. A device that half-closes after sending (as
 * {@code nc -N} or a script's {@code shutdown(SHUT_WR)} do) still gets every reply; the connection closes
 * after the last one. Sits after the frame decoder; one instance per connection.
 */
public final class ReplySequencer extends ChannelDuplexHandler {

    /** frames queued beyond this stop socket reads until the queue drains */
    static final int MAX_QUEUED = 64;

    private final Queue<Object> waiting = new ArrayDeque<>();
    private boolean inFlight;
    private boolean readsPaused;
    private boolean inputClosed;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            // the frame decoder before us has already passed on every frame it could still make
            inputClosed = true;
            if (!inFlight) {
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

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
            if (inputClosed) {
                if (promise.isVoid()) {
                    ctx.executor().execute(ctx::close);
                } else {
                    promise.addListener(ChannelFutureListener.CLOSE);
                }
            }
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
