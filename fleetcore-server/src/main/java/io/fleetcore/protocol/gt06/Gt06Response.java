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
        return replyTo(message.protocolNumber(), message.serial());
    }

    /** The reply to a frame (its envelope already checked by the decoder), from its protocol and serial numbers. */
    public static Optional<byte[]> replyTo(byte[] frame) {
        if (frame == null || frame.length < 10) {
            return Optional.empty();
        }
        int header = frame[0] == 0x78 ? 3 : 4;
        int protocolNumber = frame[header] & 0xFF;
        int serial = ((frame[frame.length - 6] & 0xFF) << 8) | (frame[frame.length - 5] & 0xFF);
        return replyTo(protocolNumber, serial);
    }

    private static Optional<byte[]> replyTo(int protocolNumber, int serial) {
        return Gt06ProtocolDecoder.answered(protocolNumber) ? Optional.of(ack(protocolNumber, serial)) : Optional.empty();
    }
}
