package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.OversizedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * The frame decoder of Teltonika over UDP: a datagram is one packet, so it is passed on whole as a
 * {@link TeltonikaDatagram} addressed from its sender (the reply goes back there); one longer than
 * {@code maxFrameBytes} goes on as an {@link OversizedFrame} (its start only). It never throws: an exception on
 * the one channel of a UDP port would close it.
 */
@ChannelHandler.Sharable
public final class TeltonikaDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final int maxFrameBytes;

    public TeltonikaDatagramDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        Object frame;
        if (content.readableBytes() > maxFrameBytes) {
            byte[] head = ByteBufUtil.getBytes(content, content.readerIndex(), Math.min(OversizedFrame.HEAD_BYTES, content.readableBytes()));
            frame = new OversizedFrame(TeltonikaUdpProtocol.NAME, null, "datagram of " + content.readableBytes()
                    + " bytes, at most " + maxFrameBytes, head);
        } else {
            frame = new TeltonikaDatagram(ByteBufUtil.getBytes(content));
        }
        out.add(new DefaultAddressedEnvelope<>(frame, packet.recipient(), packet.sender()));
    }
}
