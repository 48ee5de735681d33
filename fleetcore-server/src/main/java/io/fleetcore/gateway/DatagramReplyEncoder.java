package io.fleetcore.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Writes a UDP gateway's reply to the device: camel-netty hands the route's {@code byte[]} body addressed to
 * the datagram's sender; it leaves as one datagram. Shared by the port's one channel.
 */
@ChannelHandler.Sharable
public final class DatagramReplyEncoder extends MessageToMessageEncoder<AddressedEnvelope<Object, InetSocketAddress>> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof byte[]
                && envelope.recipient() instanceof InetSocketAddress;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<Object, InetSocketAddress> reply, List<Object> out) {
        out.add(new DatagramPacket(Unpooled.wrappedBuffer((byte[]) reply.content()), reply.recipient()));
    }
}
