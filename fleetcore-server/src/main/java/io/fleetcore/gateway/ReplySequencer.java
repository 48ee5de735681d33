package io.fleetcore.gateway;

import io.fleetcore.model.RawFrame;
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
 * (stored, refused, dead-lettered). While more than {@link #MAX_QUEUED} frames or {@code maxQueuedBytes}
 * bytes of frames wait, reading from the socket stops ({@link ReadGate.Reason#REPLIES_WAITING}), so a fast
 * sender cannot make the server buffer without bound. A reply that closes the connection
 * ({@link DeviceChannel#closeAfterReply}) drops the frames queued behind it unanswered. A device that
 * half-closes after sending (as {@code nc -N} or a script's {@code shutdown(SHUT_WR)} do) still gets every
 * reply; the connection closes after the last one. Sits after the frame decoder; one instance per connection.
 */
public final class ReplySequencer extends ChannelDuplexHandler {

    /** frames queued beyond this stop socket reads until the queue drains */
    static final int MAX_QUEUED = 64;

    private final Queue<Object> waiting = new ArrayDeque<>();
    private final long maxQueuedBytes;
    private long queuedBytes;
    private boolean inFlight;
    private boolean inputClosed;

    /** @param maxQueuedBytes bytes of frames waiting for their turn beyond which reads stop */
    public ReplySequencer(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Size of a frame as the decoder emitted it: {@code byte[]} or a {@link RawFrame}. */
    static int size(Object frame) {
        if (frame instanceof byte[] bytes) {
            return bytes.length;
        }
        return frame instanceof RawFrame raw ? raw.bytes().length : 0;
    }

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
        if (DeviceChannel.isClosing(ctx.channel())) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (inFlight) {
            waiting.add(frame);
            queuedBytes += size(frame);
            if (waiting.size() >= MAX_QUEUED || queuedBytes >= maxQueuedBytes) {
                ReadGate.pause(ctx.channel(), ReadGate.Reason.REPLIES_WAITING);
            }
            return;
        }
        inFlight = true;
        ctx.fireChannelRead(frame);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object reply, ChannelPromise promise) {
        ctx.write(reply, promise);
        if (DeviceChannel.isClosing(ctx.channel())) {
            dropWaiting();
            return; // the reply's writer closes the connection
        }
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
            queuedBytes -= size(next);
            ctx.fireChannelRead(next);
        }
        if (waiting.size() < MAX_QUEUED / 2 && queuedBytes < maxQueuedBytes / 2) {
            ReadGate.resume(ctx.channel(), ReadGate.Reason.REPLIES_WAITING);
        }
    }

    private void dropWaiting() {
        for (Object frame; (frame = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(frame);
        }
        queuedBytes = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropWaiting();
        super.channelInactive(ctx);
    }
}
