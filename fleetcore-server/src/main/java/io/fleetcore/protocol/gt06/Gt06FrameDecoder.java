package io.fleetcore.protocol.gt06;

import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.FrameInput;
import io.fleetcore.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a GT06 TCP stream into {@link Gt06Frame}s whatever the read boundaries: {@code 78 78} + 1-byte length
 * (frame = length + 5 bytes) or {@code 79 79} + 2-byte length (frame = length + 6). The frame's content, stop
 * bits and CRC are the protocol decoder's to check; an intact login frame (CRC right) sets the connection's
 * IMEI, which every later frame carries. Bytes before a start marker are passed on as one frame (the protocol
 * decoder refuses it as {@code bad-start}, so it is logged and never answered) and framing resumes at the
 * marker. A frame longer than the maximum, or as many bytes without a start marker, goes on as an
 * {@link OversizedFrame} and the rest of the stream is discarded. A length promising more bytes than arrived
 * waits (the idle timeout ends a stalled sender). One instance per connection.
 */
public final class Gt06FrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(Gt06FrameDecoder.class);
    static final int SHORT_START = 0x7878;
    static final int LONG_START = 0x7979;

    private final Gt06ProtocolDecoder decoder = new Gt06ProtocolDecoder();
    private final int maxFrameBytes;
    private String imei;
    private boolean discarding;

    public Gt06FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2 && !discarding) {
            int start = in.readerIndex();
            int marker = in.getUnsignedShort(start);
            if (marker != SHORT_START && marker != LONG_START) {
                int next = nextMarker(in, start + 1);
                if (next < 0) {
                    if (in.readableBytes() > maxFrameBytes) {
                        tooLong(ctx, in, out, in.readableBytes() + " bytes without a start marker");
                    }
                    return;
                }
                emit(ctx, in, out, next - start);
                continue;
            }
            boolean shortFrame = marker == SHORT_START;
            if (in.readableBytes() < (shortFrame ? 3 : 4)) {
                return;
            }
            int total = shortFrame ? in.getUnsignedByte(start + 2) + 5 : in.getUnsignedShort(start + 2) + 6;
            if (total > maxFrameBytes) {
                tooLong(ctx, in, out, "frame of " + total + " bytes exceeds the maximum of " + maxFrameBytes);
                return;
            }
            if (in.readableBytes() < total) {
                return;
            }
            emit(ctx, in, out, total);
        }
        if (discarding) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Index of the next {@code 7878}/{@code 7979} at or after {@code from}, or -1. */
    private static int nextMarker(ByteBuf in, int from) {
        for (int i = from; i + 1 < in.writerIndex(); i++) {
            int m = in.getUnsignedShort(i);
            if (m == SHORT_START || m == LONG_START) {
                return i;
            }
        }
        return -1;
    }

    private void emit(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{} gt06] {}", ctx.channel().remoteAddress(), ByteBufUtil.hexDump(bytes));
        }
        if (imei == null && length > 3 && (bytes[3] & 0xFF) == Gt06ProtocolDecoder.LOGIN) {
            try {
                imei = decoder.decode(new Gt06Frame(null, bytes)).imei();
            } catch (ProtocolException e) {
                // the protocol decoder refuses the same frame again downstream, where it is recorded
            }
        }
        out.add(new Gt06Frame(imei, bytes));
    }

    private void tooLong(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String detail) {
        LOG.warn("[{} gt06] cannot frame input of {}: {}; discarding the rest of the stream", ctx.channel().remoteAddress(),
                imei == null ? "?" : imei, detail);
        out.add(FrameInput.oversized(Gt06ProtocolDecoder.PROTOCOL, imei, detail, in));
        discarding = true;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        FrameInput.dropUnfinished(LOG, ctx, Gt06ProtocolDecoder.PROTOCOL, imei, in);
    }
}
