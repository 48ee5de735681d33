package io.fleetcore.sim;

import io.fleetcore.protocol.teltonika.TeltonikaProtocolDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The device side of Teltonika Codec 8 / 8 Extended over TCP (see docs/protocols/teltonika.md): the IMEI login
 * and AVL data packets with CRC-16/IBM. Used by the simulator; big-endian throughout.
 */
public final class TeltonikaEncoder {

    public static final int CODEC_8 = 0x08;
    public static final int CODEC_8E = 0x8E;

    private TeltonikaEncoder() {
    }

    /** {@code 000F} + 15 ASCII digits. */
    public static byte[] login(String imei) {
        byte[] digits = imei.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[digits.length + 2];
        out[0] = (byte) (digits.length >>> 8);
        out[1] = (byte) digits.length;
        System.arraycopy(digits, 0, out, 2, digits.length);
        return out;
    }

    /** A whole AVL packet: preamble, data length, codec … number of data 2, CRC. */
    public static byte[] packet(int codec, List<AvlRecord> records) {
        if (codec != CODEC_8 && codec != CODEC_8E) {
            throw new IllegalArgumentException("codec must be 0x08 or 0x8E, got " + Integer.toHexString(codec));
        }
        if (records.isEmpty() || records.size() > 255) {
            throw new IllegalArgumentException("an AVL packet carries 1-255 records, got " + records.size());
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream(64 + records.size() * 64);
        data.write(codec);
        data.write(records.size());
        for (AvlRecord r : records) {
            record(data, codec == CODEC_8E, r);
        }
        data.write(records.size());
        byte[] body = data.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 12);
        writeInt(out, 0);
        writeInt(out, body.length);
        out.writeBytes(body);
        writeInt(out, crc16(body, 0, body.length));
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, boolean extended, AvlRecord r) {
        writeLong(out, r.timestampMillis());
        out.write(r.priority());
        writeInt(out, r.longitudeE7());
        writeInt(out, r.latitudeE7());
        writeShort(out, r.altitude());
        writeShort(out, r.angle());
        out.write(r.satellites());
        writeShort(out, r.speedKmh());
        if (!extended && (r.eventIoId() > 255 || !r.ioNx().isEmpty())) {
            throw new IllegalArgumentException("Codec 8 has 1-byte IO ids and no variable-length values");
        }
        writeId(out, extended, r.eventIoId());
        writeId(out, extended, r.ioCount());
        group(out, extended, r.io1(), 1);
        group(out, extended, r.io2(), 2);
        group(out, extended, r.io4(), 4);
        group(out, extended, r.io8(), 8);
        if (extended) {
            writeShort(out, r.ioNx().size());
            for (Map.Entry<Integer, byte[]> e : r.ioNx().entrySet()) {
                writeShort(out, e.getKey());
                writeShort(out, e.getValue().length);
                out.writeBytes(e.getValue());
            }
        }
    }

    private static void group(ByteArrayOutputStream out, boolean extended, Map<Integer, Long> values, int width) {
        writeId(out, extended, values.size());
        for (Map.Entry<Integer, Long> e : values.entrySet()) {
            if (!extended && e.getKey() > 255) {
                throw new IllegalArgumentException("IO id " + e.getKey() + " needs Codec 8E");
            }
            writeId(out, extended, e.getKey());
            long v = e.getValue();
            for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
                out.write((int) (v >>> shift));
            }
        }
    }

    private static void writeId(ByteArrayOutputStream out, boolean extended, int v) {
        if (extended) {
            writeShort(out, v);
        } else {
            out.write(v);
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        writeShort(out, v >>> 16);
        writeShort(out, v);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        writeInt(out, (int) (v >>> 32));
        writeInt(out, (int) v);
    }

    /** CRC-16/IBM (ARC): the gateway's implementation, so device and server agree by construction. */
    public static int crc16(byte[] bytes, int offset, int length) {
        return TeltonikaProtocolDecoder.crc16(bytes, offset, length);
    }
}
