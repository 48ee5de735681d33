package io.fleetcore.protocol.gt06;

import io.fleetcore.protocol.Crc16;
import java.util.Optional;

/**
 * What the server writes to a GT06 device: {@code 78 78 05} · the protocol number it answers · the frame's
 * serial number · CRC-ITU · {@code 0D 0A}, for login, heartbeat and alarm frames. Location frames get no reply
 * in the GT06 protocol, so the device keeps no resend buffer for them (docs/protocols/gt06.md).
 */
public final class Gt06Response {

    private Gt06Response() {
    }

    /** The ACK of a frame of {@code protocolNumber} with {@code serial}. */
    public static byte[] ack(int protocolNumber, int serial) {
        byte[] r = {0x78, 0x78, 0x05, (byte) protocolNumber, (byte) (serial >>> 8), (byte) serial, 0, 0, 0x0D, 0x0A};
        int crc = Crc16.X25.of(r, 2, 4);
        r[6] = (byte) (crc >>> 8);
        r[7] = (byte) crc;
        return r;
    }

    /** The reply the protocol defines for a decoded message: login, heartbeat and alarm have one, location has none. */
    public static Optional<byte[]> replyTo(Gt06Message message) {
        return Gt06ProtocolDecoder.answered(message.protocolNumber())
                ? Optional.of(ack(message.protocolNumber(), message.serial()))
                : Optional.empty();
    }
}
