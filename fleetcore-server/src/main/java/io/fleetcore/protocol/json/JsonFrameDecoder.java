package io.fleetcore.protocol.json;

import io.fleetcore.model.OversizedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a TCP stream into top-level JSON objects (one per device message), whatever the read boundaries.
 * Bytes outside an object, up to a newline or the next '{', come out as one frame of their own so the
 * protocol decoder can refuse them with a reply. Anything longer than the maximum frame size, and as many
 * blank bytes between frames, cannot be framed: its start goes on as an {@link OversizedFrame} (refused,
 * kept in rejected_frames, connection closed after the refusal) and the rest of the input is discarded.
 * Emits {@code byte[]}; one instance per connection.
 */
public final class JsonFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(JsonFrameDecoder.class);

    private final int maxFrameBytes;
    /** bytes of the current frame already scanned, counted from the reader index */
    private int scanned;
    private int depth;
    private boolean inString;
    private boolean escaped;
    /** 0 = between frames, 1 = inside an object, 2 = inside junk */
    private int state;
    private boolean discarding;
    /** blank bytes skipped since the last frame */
    private int skipped;

    public JsonFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (state == 0) {
                byte b = in.getByte(in.readerIndex());
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0) {
                    in.skipBytes(1);
                    if (++skipped > maxFrameBytes) {
                        tooLong(ctx, in, out, skipped + " blank bytes without a frame");
                        return;
                    }
                    continue;
                }
                state = b == '{' ? 1 : 2;
                scanned = 0;
                depth = 0;
                inString = false;
                escaped = false;
            }
            int end = scan(in);
            if (end < 0) {
                if (in.readableBytes() > maxFrameBytes) {
                    tooLong(ctx, in, out, "no frame within " + maxFrameBytes + " bytes");
                }
                return;
            }
            int length = end - in.readerIndex();
            if (length > maxFrameBytes) {
                tooLong(ctx, in, out, "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
                return;
            }
            byte[] frame = new byte[length];
            in.readBytes(frame);
            state = 0;
            skipped = 0;
            out.add(frame);
        }
    }

    /** Scans on from where the last call stopped; returns the absolute end index (exclusive) or -1. */
    private int scan(ByteBuf in) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        for (int i = start + scanned; i < limit; i++) {
            byte b = in.getByte(i);
            if (state == 2) {
                if (b == '\n') {
                    return i + 1;
                }
                if (b == '{') {
                    return i;
                }
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{') {
                depth++;
            } else if (b == '}') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        scanned = limit - start;
        return -1;
    }

    private void tooLong(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String detail) {
        LOG.warn("[{} json] cannot frame input: {}; discarding the rest of the stream", ctx.channel().remoteAddress(), detail);
        byte[] head = new byte[Math.min(OversizedFrame.HEAD_BYTES, in.readableBytes())];
        in.readBytes(head);
        out.add(new OversizedFrame("json", null, detail, head));
        discarding = true;
        in.skipBytes(in.readableBytes());
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (in.isReadable() && !discarding) {
            if (state == 2) {
                // junk without a newline at the end of the stream is still a (bad) frame
                byte[] frame = new byte[in.readableBytes()];
                in.readBytes(frame);
                state = 0;
                out.add(frame);
            } else {
                LOG.warn("[{} json] connection closed inside an unfinished object of {} bytes: {}",
                        ctx.channel().remoteAddress(), in.readableBytes(),
                        ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(256, in.readableBytes())));
                in.skipBytes(in.readableBytes());
            }
        }
    }
}
