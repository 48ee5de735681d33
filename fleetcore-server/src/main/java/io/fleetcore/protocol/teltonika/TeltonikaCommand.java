package io.fleetcore.protocol.teltonika;

import io.fleetcore.protocol.Crc16;
import io.fleetcore.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Codec 12 (GPRS commands on the device's TCP connection): {@code 00000000} preamble, data size (4, codec id ..
 * second quantity), codec id {@code 0C}, quantity {@code 01}, type {@code 05} (command) or {@code 06} (response),
 * text size (4), text (ASCII), quantity {@code 01}, CRC-16/IBM (4, the CRC in the low two bytes) of codec id ..
 * second quantity. Pure: bytes in, text out.
 */
public final class TeltonikaCommand {

    public static final int CODEC = 0x0C;
    public static final int TYPE_COMMAND = 0x05;
    public static final int TYPE_RESPONSE = 0x06;
    /** codec 1 + quantity 1 + type 1 + size 4 + quantity 1: the data size of an empty text */
    static final int DATA_OVERHEAD = 8;
    /** preamble 4 + data size 4 + CRC 4 */
    static final int ENVELOPE = 12;

    private TeltonikaCommand() {
    }

    /** The Codec 12 frame of command {@code text} (type 05). */
    public static byte[] encode(String text) {
        return frame(TYPE_COMMAND, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The Codec 12 frame of a response (type 06): what a device sends; for tests and simulators. */
    public static byte[] response(String text) {
        return frame(TYPE_RESPONSE, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] frame(int type, byte[] text) {
        int dataSize = text.length + DATA_OVERHEAD;
        ByteBuffer b = ByteBuffer.allocate(dataSize + ENVELOPE);
        b.putInt(0).putInt(dataSize).put((byte) CODEC).put((byte) 1).put((byte) type).putInt(text.length).put(text).put((byte) 1);
        b.putInt(Crc16.ARC.of(b.array(), 8, dataSize));
        return b.array();
    }

    /** The text of a whole Codec 12 response frame; a damaged or foreign frame raises the reason. */
    public static String decodeResponse(byte[] frame) throws ProtocolException {
        if (frame.length < ENVELOPE + DATA_OVERHEAD) {
            throw new ProtocolException("bad-length", "Codec 12 frame of " + frame.length + " bytes, at least "
                    + (ENVELOPE + DATA_OVERHEAD) + " needed");
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (b.getInt(0) != 0) {
            throw new ProtocolException("bad-preamble", "preamble " + Integer.toHexString(b.getInt(0)) + " is not 00000000");
        }
        long dataSize = Integer.toUnsignedLong(b.getInt(4));
        if (dataSize + ENVELOPE != frame.length) {
            throw new ProtocolException("bad-length", "data size " + dataSize + " does not fit a frame of " + frame.length + " bytes");
        }
        int crc = b.getInt(frame.length - 4);
        int computed = Crc16.ARC.of(frame, 8, (int) dataSize);
        if (crc != computed) {
            throw new ProtocolException("bad-crc", String.format("CRC %08X sent, %04X computed", crc, computed));
        }
        if ((frame[8] & 0xFF) != CODEC) {
            throw new ProtocolException("bad-codec", "codec " + (frame[8] & 0xFF) + " is not Codec 12");
        }
        if ((frame[10] & 0xFF) != TYPE_RESPONSE) {
            throw new ProtocolException("bad-type", "type " + (frame[10] & 0xFF) + " is not a response (6)");
        }
        long textSize = Integer.toUnsignedLong(b.getInt(11));
        if (textSize + DATA_OVERHEAD != dataSize) {
            throw new ProtocolException("bad-length", "response size " + textSize + " does not fit data size " + dataSize);
        }
        return new String(frame, 15, (int) textSize, StandardCharsets.US_ASCII);
    }
}
