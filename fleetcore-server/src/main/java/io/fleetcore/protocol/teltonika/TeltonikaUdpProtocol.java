package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolProvider;
import io.netty.channel.ChannelHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Teltonika Codec 8 / 8 Extended over UDP: no connection and no login, every datagram names its IMEI and is
 * admitted on its own; it is answered, once durable, with its packet id, AVL packet id and record count
 * ({@link TeltonikaResponse#udpAck}); there is no refusal. Its records and devices are {@code teltonika}'s; the
 * name {@code teltonika-udp} tells its exchanges, rejected frames and meters apart.
 */
public final class TeltonikaUdpProtocol implements DeviceProtocol {

    public static final String NAME = "teltonika-udp";

    private final TeltonikaProtocolDecoder decoder = new TeltonikaProtocolDecoder();
    private final TeltonikaDatagramDecoder datagramDecoder;

    public TeltonikaUdpProtocol(int maxFrameBytes) {
        this.datagramDecoder = new TeltonikaDatagramDecoder(maxFrameBytes);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String devicesProtocol() {
        return TeltonikaProtocolDecoder.PROTOCOL;
    }

    @Override
    public ChannelHandler newFrameDecoder() {
        return datagramDecoder;
    }

    @Override
    public boolean datagrams() {
        return true;
    }

    @Override
    public boolean loginRequired() {
        return false;
    }

    @Override
    public DecodedFrame decode(Object frame) throws ProtocolException {
        byte[] bytes = ((TeltonikaDatagram) frame).bytes();
        TeltonikaUdpPacket packet = decoder.decodeUdp(bytes);
        List<DeviceRecord> records = new ArrayList<>();
        for (DeviceRecord r : packet.records()) {
            records.add(TeltonikaObd.named(r));
        }
        return DecodedFrame.records(bytes, packet.imei(), records);
    }

    /** The ACK of a datagram that decoded: its header and record count are read again from its bytes. */
    @Override
    public byte[] ack(byte[] frame) {
        int imeiLength = ((frame[6] & 0xFF) << 8) | (frame[7] & 0xFF);
        int count = frame[TeltonikaUdpPacket.IMEI_OFFSET + imeiLength + 1] & 0xFF;
        return TeltonikaResponse.udpAck(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF), frame[5] & 0xFF, count);
    }

    @Override
    public byte[] loginReply(byte[] frame, boolean admitted) {
        return null;
    }

    @Override
    public byte[] refusal() {
        return null;
    }

    /** Registers teltonika-udp (found in its folder by its name, Provider); its key {@code fleetcore.teltonika-udp.max-frame-bytes}. */
    public static final class Provider extends ProtocolProvider {

        public Provider() {
            super(NAME, settings -> new TeltonikaUdpProtocol(settings.getInt("max-frame-bytes")));
        }
    }
}
