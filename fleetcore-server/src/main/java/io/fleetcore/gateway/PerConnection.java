package io.fleetcore.gateway;

import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/** A Netty handler created anew for every connection (frame decoders keep per-connection state). */
public final class PerConnection extends DefaultChannelHandlerFactory {

    private final Supplier<ChannelHandler> factory;

    public PerConnection(Supplier<ChannelHandler> factory) {
        this.factory = factory;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return factory.get();
    }
}
