package io.fleetcore.protocol.json;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolProvider;
import io.netty.channel.ChannelHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The json protocol: one object per frame, no login, {@code 1} once durable, {@code 0} for a refusal. */
public final class JsonProtocol implements DeviceProtocol {

    private static final byte[] ACK = "1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REFUSAL = "0".getBytes(StandardCharsets.US_ASCII);

    private final JsonProtocolDecoder decoder;
    private final int maxFrameBytes;

    public JsonProtocol(JsonProtocolDecoder decoder, int maxFrameBytes) {
        this.decoder = decoder;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public String name() {
        return JsonProtocolDecoder.PROTOCOL;
    }

    @Override
    public ChannelHandler newFrameDecoder() {
        return new JsonFrameDecoder(maxFrameBytes);
    }

    @Override
    public boolean loginRequired() {
        return false;
    }

    @Override
    public DecodedFrame decode(Object frame) throws ProtocolException {
        byte[] bytes = (byte[]) frame;
        DeviceRecord record = decoder.decode(bytes);
        return DecodedFrame.records(bytes, record.deviceUid(), List.of(record));
    }

    @Override
    public byte[] ack(byte[] frame) {
        return ACK.clone();
    }

    @Override
    public byte[] loginReply(byte[] frame, boolean admitted) {
        return null;
    }

    @Override
    public byte[] refusal() {
        return REFUSAL.clone();
    }

    /** Registers json (found in its folder by its name, Provider): frame cap and field limits from {@code fleetcore.json.*}. */
    public static final class Provider extends ProtocolProvider {

        public Provider() {
            super(JsonProtocolDecoder.PROTOCOL, settings -> new JsonProtocol(new JsonProtocolDecoder(settings.getInt("max-extra-fields"),
                    settings.getInt("max-field-name-length"), settings.getInt("max-field-value-length")),
                    settings.getInt("max-frame-bytes")));
        }
    }
}
