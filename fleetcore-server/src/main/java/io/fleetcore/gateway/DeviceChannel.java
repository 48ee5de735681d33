package io.fleetcore.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;

/**
 * What a gateway knows about one device connection, kept on its Netty channel: whether a login admitted it,
 * whether its next reply closes it, how many new devices it registered and how many frames in a row it had
 * refused. Route steps reach the channel through the exchange.
 */
public final class DeviceChannel {

    static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("fleetcoreAdmitted");
    static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("fleetcoreClosing");
    static final AttributeKey<AtomicInteger> REGISTERED = AttributeKey.valueOf("fleetcoreRegistered");
    static final AttributeKey<AtomicInteger> REFUSED_IN_ROW = AttributeKey.valueOf("fleetcoreRefusedInRow");

    private DeviceChannel() {
    }

    /**
     * The connection an exchange of a gateway came from, or {@code null} (not from a gateway, or from a UDP
     * port: its one channel is no device's connection).
     */
    public static Channel of(Exchange exchange) {
        Channel channel = channel(exchange);
        return channel instanceof DatagramChannel ? null : channel;
    }

    private static Channel channel(Exchange exchange) {
        ChannelHandlerContext ctx = exchange.getMessage()
                .getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        return ctx == null ? null : ctx.channel();
    }

    /** A login accepted the device: frames of this connection may be stored. */
    public static void admit(Exchange exchange) {
        Channel channel = of(exchange);
        if (channel != null) {
            channel.attr(ADMITTED).set(Boolean.TRUE);
        }
    }

    /** True only when a login of this connection was accepted. */
    public static boolean isAdmitted(Exchange exchange) {
        Channel channel = of(exchange);
        return channel != null && Boolean.TRUE.equals(channel.attr(ADMITTED).get());
    }

    /**
     * The reply of this exchange is the connection's last: it is closed once the reply is written, and
     * frames read behind it are dropped unanswered (see {@link ReplySequencer}).
     */
    public static void closeAfterReply(Exchange exchange) {
        if (channel(exchange) instanceof DatagramChannel) {
            return; // a UDP port's channel serves every device: never closed for one
        }
        exchange.getMessage().setHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE, true);
        Channel channel = of(exchange);
        if (channel != null) {
            channel.attr(CLOSING).set(Boolean.TRUE);
        }
    }

    static boolean isClosing(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }

    static AtomicInteger counter(Channel channel, AttributeKey<AtomicInteger> key) {
        AtomicInteger fresh = new AtomicInteger();
        AtomicInteger old = channel.attr(key).setIfAbsent(fresh);
        return old == null ? fresh : old;
    }
}
