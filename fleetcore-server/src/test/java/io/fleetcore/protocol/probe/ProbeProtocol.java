package io.fleetcore.protocol.probe;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolProvider;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A test-only protocol added the way README "Adding a protocol" says, and nothing more: this folder (with its
 * nested {@code Provider}), one templatedRoute
 * ({@code src/test/resources/probe-routes/probe-gateway.camel.yaml}) and its port key {@code fleetcore.probe.port}.
 * A frame is one text line {@code UID,ISO-TIME,LAT,LON}; answered {@code K} once durable, {@code N} when refused.
 */
public final class ProbeProtocol implements DeviceProtocol {

    static final String NAME = "probe";

    private final int maxFrameBytes;

    ProbeProtocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChannelHandler newFrameDecoder() {
        return new ByteToMessageDecoder() {
            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                if (end < 0) {
                    if (in.readableBytes() > maxFrameBytes) {
                        throw new TooLongFrameException("no line within " + maxFrameBytes + " bytes");
                    }
                    return;
                }
                byte[] frame = new byte[end - in.readerIndex()];
                in.readBytes(frame);
                in.skipBytes(1);
                out.add(frame);
            }
        };
    }

    @Override
    public boolean loginRequired() {
        return false;
    }

    @Override
    public DecodedFrame decode(Object frame) throws ProtocolException {
        byte[] bytes = (byte[]) frame;
        String[] f = new String(bytes, StandardCharsets.US_ASCII).trim().split(",");
        if (f.length != 4) {
            throw new ProtocolException("bad-line", "expected UID,TIME,LAT,LON");
        }
        try {
            DeviceRecord r = new DeviceRecord(f[0], Instant.parse(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    null, null, null, null, null, null, NAME, null, null);
            return DecodedFrame.records(bytes, f[0], List.of(r));
        } catch (RuntimeException e) {
            throw new ProtocolException("bad-line", e.getMessage());
        }
    }

    @Override
    public byte[] ack(byte[] frame) {
        return new byte[] {'K'};
    }

    @Override
    public byte[] loginReply(byte[] frame, boolean admitted) {
        return null;
    }

    @Override
    public byte[] refusal() {
        return new byte[] {'N'};
    }

    /** Its registration: the frame cap is {@code fleetcore.probe.max-frame-bytes} (256 when not set). */
    public static final class Provider extends ProtocolProvider {

        public Provider() {
            super(NAME, settings -> new ProbeProtocol(Integer.parseInt(settings.get("max-frame-bytes", "256"))));
        }
    }
}
