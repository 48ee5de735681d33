package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.Crc16;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.UnstorableContentException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Teltonika Codec 8 and Codec 8 Extended (docs/protocols/teltonika.md), over TCP and UDP. Pure: the IMEI and one
 * whole AVL packet (or one UDP datagram) in, its records out, or a {@link ProtocolException} naming what is wrong (bad-preamble, bad-length,
 * bad-crc, unsupported-codec, count-mismatch, truncated-record, trailing-bytes, bad-imei: transport damage), or an
 * {@link UnstorableContentException} for an intact packet that can never be stored (bad-timestamp). Every IO value is
 * kept in {@code io} under its id as a decimal string: fixed-width values as unsigned numbers, Codec 8E's
 * variable-length values as upper-case hex. Canonical OBD-II names are the next route step's job.
 */
public final class TeltonikaProtocolDecoder {

    public static final String PROTOCOL = "teltonika";
    public static final int CODEC_8 = 0x08;
    public static final int CODEC_8E = 0x8E;

    /** The IMEI of a login frame: 1-20 ASCII digits. */
    public String imei(TeltonikaLogin login) throws ProtocolException {
        String imei = login.imei();
        if (imei.isEmpty() || imei.length() > 20 || !imei.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException("bad-imei", "IMEI must be 1-20 ASCII digits, got " + HexFormat.of().formatHex(login.bytes()));
        }
        return imei;
    }

    public List<DeviceRecord> decode(String imei, byte[] frame) throws ProtocolException {
        Reader r = new Reader(frame, imei);
        if (frame.length < 15) {
            throw new ProtocolException("bad-length", "packet of " + frame.length + " bytes is shorter than the smallest AVL packet", imei);
        }
        if (r.u32() != 0) {
            throw new ProtocolException("bad-preamble", "preamble must be 00000000", imei);
        }
        long dataLength = r.u32();
        if (dataLength != frame.length - 12L) {
            throw new ProtocolException("bad-length", "data length " + dataLength + " but " + (frame.length - 12) + " bytes follow", imei);
        }
        int end = frame.length - 4;
        int sent = ((frame[end] & 0xFF) << 24) | ((frame[end + 1] & 0xFF) << 16) | ((frame[end + 2] & 0xFF) << 8) | (frame[end + 3] & 0xFF);
        int crc = crc16(frame, 8, end - 8);
        if (sent != crc) {
            throw new ProtocolException("bad-crc", String.format("CRC %08X sent, %04X computed", sent, crc), imei);
        }
        r.limit = end;
        return avlData(r, imei);
    }

    /**
     * One Teltonika UDP datagram (docs/protocols/teltonika.md, "Over UDP"): length, packet id, a byte the
     * protocol does not use, AVL packet id, IMEI, then the AVL data (codec id … number of data 2) without
     * preamble, length or CRC. Bad input raises bad-length, bad-imei or what the AVL data's decoding raises.
     */
    public TeltonikaUdpPacket decodeUdp(byte[] datagram) throws ProtocolException {
        if (datagram.length < TeltonikaUdpPacket.IMEI_OFFSET) {
            throw new ProtocolException("bad-length", "datagram of " + datagram.length + " bytes is shorter than its header");
        }
        Reader r = new Reader(datagram, null);
        int length = r.u16();
        if (length != datagram.length - 2) {
            throw new ProtocolException("bad-length", "length " + length + " but " + (datagram.length - 2) + " bytes follow");
        }
        int packetId = r.u16();
        r.u8(); // not used by the protocol (01 in every datagram; older documents called it the packet type)
        int avlPacketId = r.u8();
        int imeiLength = r.u16();
        if (imeiLength < 1 || imeiLength > 20 || imeiLength > datagram.length - TeltonikaUdpPacket.IMEI_OFFSET) {
            throw new ProtocolException("bad-imei", "IMEI length " + imeiLength + " in a datagram of " + datagram.length + " bytes");
        }
        String imei = new String(r.bytes(imeiLength), StandardCharsets.ISO_8859_1);
        if (!imei.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException("bad-imei", "IMEI must be 1-20 ASCII digits, got " + HexFormat.of().formatHex(imei.getBytes(StandardCharsets.ISO_8859_1)));
        }
        Reader avl = new Reader(datagram, imei);
        avl.pos = r.pos;
        if (datagram.length - avl.pos < 3) {
            throw new ProtocolException("bad-length", "no AVL data after the IMEI", imei);
        }
        return new TeltonikaUdpPacket(packetId, avlPacketId, imei, avlData(avl, imei));
    }

    /** Codec id, number of data 1, the records, number of data 2: from {@code r.pos} to {@code r.limit}. */
    private static List<DeviceRecord> avlData(Reader r, String imei) throws ProtocolException {
        int end = r.limit;
        int codec = r.u8();
        if (codec != CODEC_8 && codec != CODEC_8E) {
            throw new ProtocolException("unsupported-codec", String.format("codec %02X is not AVL data (08 or 8E)", codec), imei);
        }
        boolean extended = codec == CODEC_8E;
        int count = r.u8();
        if (count != (r.b[end - 1] & 0xFF)) {
            throw new ProtocolException("count-mismatch", "number of data 1 = " + count + ", number of data 2 = " + (r.b[end - 1] & 0xFF), imei);
        }
        if (count == 0) {
            throw new ProtocolException("count-mismatch", "packet carries no records", imei);
        }
        r.limit = end - 1;
        List<DeviceRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(record(r, imei, extended));
        }
        if (r.pos != r.limit) {
            throw new ProtocolException("trailing-bytes", (r.limit - r.pos) + " bytes after the last record", imei);
        }
        return records;
    }

    private static DeviceRecord record(Reader r, String imei, boolean extended) throws ProtocolException {
        long millis = r.s64();
        int priority = r.u8();
        int longitude = r.s32();
        int latitude = r.s32();
        int altitude = r.s16();
        int angle = r.u16();
        int satellites = r.u8();
        int speed = r.u16();
        int eventId = extended ? r.u16() : r.u8();
        if (extended) {
            r.u16(); // total IO count: the groups say it again
        } else {
            r.u8();
        }
        Map<String, Object> io = new LinkedHashMap<>();
        for (int width : new int[] {1, 2, 4, 8}) {
            int n = extended ? r.u16() : r.u8();
            for (int k = 0; k < n; k++) {
                int id = extended ? r.u16() : r.u8();
                io.put(key(id), r.unsigned(width));
            }
        }
        if (extended) {
            int n = r.u16();
            for (int k = 0; k < n; k++) {
                int id = r.u16();
                int length = r.u16();
                io.put(key(id), HexFormat.of().withUpperCase().formatHex(r.bytes(length)));
            }
        }
        if (millis < 0 || !DeviceRecord.storableFixTime(Instant.ofEpochMilli(millis))) {
            // an intact packet whose time PostgreSQL cannot store: a resend cannot repair it
            throw new UnstorableContentException("bad-timestamp", "timestamp " + Long.toUnsignedString(millis)
                    + " ms is outside 1970..9999", imei);
        }
        return new DeviceRecord(imei, Instant.ofEpochMilli(millis), latitude / 1e7, longitude / 1e7, (double) altitude, (double) speed, angle,
                satellites, priority, key(eventId), PROTOCOL, Map.of(), io);
    }

    /**
     * The text of the IO element ids below 1,024 (every id a device of the fleet sends in practice, all the named
     * ones), made once: a record's IO keys are then shared strings whose hash is computed once, instead of new
     * strings hashed again by every map that holds them (the record's, its JSON's sort, the OBD naming).
     */
    private static final String[] KEYS = IntStream.range(0, 1024).mapToObj(Integer::toString).toArray(String[]::new);

    /** An IO element or event id as the record's map key and event code. */
    static String key(int id) {
        return id < KEYS.length ? KEYS[id] : Integer.toString(id);
    }

    /** CRC-16/IBM (ARC): poly 0x8005 reflected (0xA001), init 0, no final xor. */
    public static int crc16(byte[] bytes, int offset, int length) {
        return Crc16.ARC.of(bytes, offset, length);
    }

    /** Big-endian reads that refuse to run past {@link #limit}. */
    private static final class Reader {
        final byte[] b;
        final String imei;
        int pos;
        int limit;

        Reader(byte[] b, String imei) {
            this.b = b;
            this.imei = imei;
            this.limit = b.length;
        }

        private void need(int n) throws ProtocolException {
            if (n > limit - pos) {
                throw new ProtocolException("truncated-record", "needs " + n + " bytes at offset " + pos + ", record data ends at " + limit, imei);
            }
        }

        long bits(int width) throws ProtocolException {
            need(width);
            long v = 0;
            for (int i = 0; i < width; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        int u8() throws ProtocolException {
            return (int) bits(1);
        }

        int u16() throws ProtocolException {
            return (int) bits(2);
        }

        int s16() throws ProtocolException {
            return (short) bits(2);
        }

        int s32() throws ProtocolException {
            return (int) bits(4);
        }

        long u32() throws ProtocolException {
            return bits(4);
        }

        long s64() throws ProtocolException {
            return bits(8);
        }

        /** 1-, 2-, 4-byte values as Long, 8-byte ones as Long or (above 2^63) BigInteger: never negative. */
        Number unsigned(int width) throws ProtocolException {
            long v = bits(width);
            return width == 8 && v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Number) v;
        }

        byte[] bytes(int n) throws ProtocolException {
            need(n);
            byte[] out = new byte[n];
            System.arraycopy(b, pos, out, 0, n);
            pos += n;
            return out;
        }
    }
}
