package io.fleetcore.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes a route's reply to the device: {@code byte[]} as is, text as ASCII. Shared by all connections. */
@ChannelHandler.Sharable
public final class ReplyEncoder extends MessageToByteEncoder<Object> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof byte[] || msg instanceof CharSequence;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof byte[] bytes) {
            out.writeBytes(bytes);
        } else {
            out.writeCharSequence((CharSequence) msg, StandardCharsets.US_ASCII);
        }
    }
}
