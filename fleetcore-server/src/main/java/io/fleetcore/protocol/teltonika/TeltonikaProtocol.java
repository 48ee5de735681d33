package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolProvider;
import io.netty.channel.ChannelHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Teltonika Codec 8 / 8 Extended over TCP: the IMEI login is answered {@code 01} (admitted) or {@code 00}; an AVL
 * packet is answered with its record count (4 bytes) once durable; there is no refusal. Its OBD IO ids are
 * named here ({@link TeltonikaObd}), raw {@code io} untouched; its event IOs raise device events ({@link TeltonikaIo#events}).
 */
public final class TeltonikaProtocol implements DeviceProtocol {

    /** byte of an AVL packet that holds its record count (the same in Codec 8 and 8E) */
    private static final int COUNT_OFFSET = 9;

    private final TeltonikaProtocolDecoder decoder = new TeltonikaProtocolDecoder();
    private final int maxFrameBytes;

    public TeltonikaProtocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public String name() {
        return TeltonikaProtocolDecoder.PROTOCOL;
    }

    @Override
    public ChannelHandler newFrameDecoder() {
        return new TeltonikaFrameDecoder(maxFrameBytes);
    }

    @Override
    public boolean loginRequired() {
        return true;
    }

    @Override
    public DecodedFrame decode(Object frame) throws ProtocolException {
        if (frame instanceof TeltonikaLogin login) {
            return DecodedFrame.login(login.bytes(), decoder.imei(login));
        }
        TeltonikaPacket packet = (TeltonikaPacket) frame;
        if (packet.imei() == null) {
            throw new ProtocolException("not-admitted", "AVL packet on a connection without a login");
        }
        List<DeviceRecord> records = new ArrayList<>();
        for (DeviceRecord r : decoder.decode(packet.imei(), packet.bytes())) {
            records.add(TeltonikaObd.named(r));
        }
        return DecodedFrame.records(packet.bytes(), packet.imei(), records);
    }

    @Override
    public List<DeviceEvent> events(DeviceRecord record) {
        return TeltonikaIo.events(record);
    }

    @Override
    public Map<String, Object> nameIo(Map<String, Object> io) {
        return TeltonikaIo.name(io);
    }

    @Override
    public byte[] ack(byte[] frame) {
        return frame != null && frame.length > COUNT_OFFSET ? TeltonikaResponse.ack(frame[COUNT_OFFSET] & 0xFF) : null;
    }

    @Override
    public byte[] loginReply(byte[] frame, boolean admitted) {
        return admitted ? TeltonikaResponse.accept() : TeltonikaResponse.reject();
    }

    @Override
    public byte[] refusal() {
        return null;
    }

    @Override
    public byte[] encodeCommand(String command) {
        return TeltonikaCommand.encode(command);
    }

    /** Registers teltonika (found in its folder by its name, Provider): frame cap from {@code fleetcore.teltonika.max-frame-bytes}. */
    public static final class Provider extends ProtocolProvider {

        public Provider() {
            super(TeltonikaProtocolDecoder.PROTOCOL, settings -> new TeltonikaProtocol(settings.getInt("max-frame-bytes")));
        }
    }
}
