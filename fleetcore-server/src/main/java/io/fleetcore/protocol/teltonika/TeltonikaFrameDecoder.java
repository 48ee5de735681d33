package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceResponse;
import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a Teltonika TCP session into messages, whatever the read boundaries: first the IMEI login
 * ({@code 000F} + digits) as {@link TeltonikaLogin}, then AVL packets framed by their data length
 * field (whole packet = length + 12) as {@link TeltonikaPacket} carrying the IMEI. A lone {@code FF}
 * between packets is a ping and is dropped (it needs no reply); a Codec 12 command response ({@code 0C}) is
 * not AVL data: it goes up the connection's handlers as a {@link DeviceResponse} user event (never stored,
 * no count ACK); Codec 13/14 messages ({@code 0D}/{@code 0E}) are dropped. A login length outside
 * 1..64 cannot be framed: its first bytes are passed on (the protocol decoder refuses them, the route
 * records the rejection and closes the connection) and the rest of the stream is discarded. So is a packet
 * longer than the maximum frame size, or as many bytes of pings and command responses without a packet:
 * their start goes on as an {@link OversizedFrame}. A length promising more bytes than arrived waits (the idle timeout ends a
 * stalled sender). One instance per connection.
 */
public final class TeltonikaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TeltonikaFrameDecoder.class);
    static final int MAX_LOGIN_LENGTH = 64;
    /** preamble 4 + data length 4 + CRC 4 */
    static final int ENVELOPE = 12;
    /** bytes of an unframeable input passed on for the rejection log */
    static final int HEAD_BYTES = 64;

    private final int maxFrameBytes;
    private String imei;
    private boolean discarding;
    /** bytes of pings and command responses since the last packet */
    private long skipped;

    public TeltonikaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable() && !discarding) {
            int start = in.readerIndex();
            if (imei == null) {
                if (in.readableBytes() < 2) {
                    return;
                }
                int length = in.getUnsignedShort(start);
                if (length == 0 || length > MAX_LOGIN_LENGTH) {
                    refuse(ctx, in, out, "IMEI length " + length + " outside 1.." + MAX_LOGIN_LENGTH);
                    return;
                }
                if (in.readableBytes() < 2 + length) {
                    return;
                }
                byte[] bytes = new byte[2 + length];
                in.readBytes(bytes);
                imei = new String(bytes, 2, length, StandardCharsets.US_ASCII);
                out.add(new TeltonikaLogin(imei, bytes));
                continue;
            }
            if (in.getUnsignedByte(start) == 0xFF) {
                LOG.debug("[{} teltonika] ping from {}", ctx.channel().remoteAddress(), imei);
                in.skipBytes(1);
                if (++skipped > maxFrameBytes) {
                    tooLong(ctx, in, out, skipped + " bytes of pings without a packet");
                    return;
                }
                continue;
            }
            if (in.readableBytes() < 8) {
                return;
            }
            long total = in.getUnsignedInt(start + 4) + ENVELOPE;
            if (total > maxFrameBytes) {
                tooLong(ctx, in, out, "packet of " + total + " bytes exceeds the maximum of " + maxFrameBytes);
                return;
            }
            if (in.readableBytes() < total) {
                return;
            }
            int codec = total > ENVELOPE ? in.getUnsignedByte(start + 8) : -1;
            if (codec == TeltonikaCommand.CODEC) {
                byte[] frame = new byte[(int) total];
                in.readBytes(frame);
                LOG.debug("[{} teltonika] Codec 12 response from {}: {}", ctx.channel().remoteAddress(), imei, ByteBufUtil.hexDump(frame));
                ctx.fireUserEventTriggered(response(frame));
            } else if (codec == 0x0D || codec == 0x0E) {
                LOG.debug("[{} teltonika] GPRS message (codec {}) from {} ignored: {}", ctx.channel().remoteAddress(),
                        Integer.toHexString(codec), imei, ByteBufUtil.hexDump(in, start, (int) total));
                in.skipBytes((int) total);
            }
            if (codec == TeltonikaCommand.CODEC || codec == 0x0D || codec == 0x0E) {
                skipped += total;
                if (skipped > maxFrameBytes) {
                    tooLong(ctx, in, out, skipped + " bytes of command responses without a packet");
                    return;
                }
                continue;
            }
            byte[] bytes = new byte[(int) total];
            in.readBytes(bytes);
            skipped = 0;
            out.add(new TeltonikaPacket(imei, bytes));
        }
        if (discarding) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** A Codec 12 response as the event the connection's command waits for; a damaged one says why. */
    static DeviceResponse response(byte[] frame) {
        try {
            return DeviceResponse.of(TeltonikaCommand.decodeResponse(frame));
        } catch (ProtocolException e) {
            return DeviceResponse.damaged(e.getMessage());
        }
    }

    /**
     * A frame that cannot be framed: its first bytes go on as a message the protocol decoder will refuse
     * (so the route records the rejection, sends no ACK and closes); the rest of the stream is discarded.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String why) {
        LOG.warn("[{} teltonika] cannot frame input of {}: {}; discarding the rest of the stream", ctx.channel().remoteAddress(),
                imei == null ? "?" : imei, why);
        byte[] head = new byte[Math.min(HEAD_BYTES, in.readableBytes())];
        in.readBytes(head);
        out.add(imei == null ? new TeltonikaLogin("", head) : new TeltonikaPacket(imei, head));
        discarding = true;
        in.skipBytes(in.readableBytes());
    }

    private void tooLong(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String detail) {
        LOG.warn("[{} teltonika] cannot frame input of {}: {}; discarding the rest of the stream", ctx.channel().remoteAddress(),
                imei, detail);
        byte[] head = new byte[Math.min(OversizedFrame.HEAD_BYTES, in.readableBytes())];
        in.readBytes(head);
        out.add(new OversizedFrame("teltonika", imei, detail, head));
        discarding = true;
        in.skipBytes(in.readableBytes());
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable()) {
            LOG.warn("[{} teltonika] connection of {} closed inside an unfinished frame of {} bytes: {}",
                    ctx.channel().remoteAddress(), imei == null ? "?" : imei, in.readableBytes(),
                    ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(256, in.readableBytes())));
            in.skipBytes(in.readableBytes());
        }
    }
}
