package io.fleetcore.protocol;

import io.fleetcore.model.OversizedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;

/** What every frame decoder does with input it cannot frame: pass its start on, log what a closed connection left. */
public final class FrameInput {

    private FrameInput() {
    }

    /** The start of {@code in} (at most {@link OversizedFrame#HEAD_BYTES}) as an {@link OversizedFrame}; the rest is skipped. */
    public static OversizedFrame oversized(String protocol, String deviceUid, String detail, ByteBuf in) {
        byte[] head = new byte[Math.min(OversizedFrame.HEAD_BYTES, in.readableBytes())];
        in.readBytes(head);
        in.skipBytes(in.readableBytes());
        return new OversizedFrame(protocol, deviceUid, detail, head);
    }

    /** At the end of a connection: logs and skips the bytes of a frame that never completed. */
    public static void dropUnfinished(Logger log, ChannelHandlerContext ctx, String protocol, String deviceUid, ByteBuf in) {
        if (in.isReadable()) {
            log.warn("[{} {}] connection of {} closed inside an unfinished frame of {} bytes: {}", ctx.channel().remoteAddress(),
                    protocol, deviceUid == null ? "?" : deviceUid, in.readableBytes(),
                    ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(256, in.readableBytes())));
            in.skipBytes(in.readableBytes());
        }
    }
}
