package io.fleetcore.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not delivered one whole frame within the timeout of its opening, so a
 * client that connects and sends nothing, or trickles bytes that never make a frame, cannot hold a
 * connection (and its buffers) until the idle timeout. Sits right after the frame decoder, so it sees
 * frames, not bytes; one instance per connection.
 */
public final class FirstFrameTimeout extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FirstFrameTimeout.class);

    private final Duration timeout;
    private ScheduledFuture<?> timer;
    private boolean framed;

    public FirstFrameTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer == null && !framed) {
            timer = ctx.executor().schedule(() -> {
                if (!framed && ctx.channel().isActive()) {
                    LOG.info("[{} to {}] no whole frame within {} ms of connecting, closing", ctx.channel().remoteAddress(),
                            ctx.channel().localAddress(), timeout.toMillis());
                    ctx.close();
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) throws Exception {
        if (!framed) {
            framed = true;
            cancel();
        }
        super.channelRead(ctx, frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
