package io.fleetcore.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a connection that sent nothing for the idle timeout; logs one line with the remote address. */
public final class IdleCloseHandler extends IdleStateHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCloseHandler.class);

    private final String protocol;

    public IdleCloseHandler(String protocol, Duration timeout) {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.protocol = protocol;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        LOG.info("[{} {}] idle timeout, closing", ctx.channel().remoteAddress(), protocol);
        ctx.close();
    }
}
