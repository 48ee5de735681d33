package io.fleetcore.protocol.teltonika;

import static io.fleetcore.protocol.teltonika.TeltonikaVectors.IMEI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.UnstorableContentException;
import io.fleetcore.protocol.ProtocolTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The five vectors and the negative cases of docs/protocols/teltonika.md, every value asserted. */
class TeltonikaProtocolDecoderTest extends ProtocolTest {

    private final TeltonikaProtocolDecoder decoder = new TeltonikaProtocolDecoder();

    private List<DeviceRecord> decode(String hex) throws ProtocolException {
        return decoder.decode(IMEI, binary(hex));
    }

    private static void verifyOrigin(DeviceRecord r) {
        assertThat(r.deviceUid()).isEqualTo(IMEI);
        assertThat(r.protocol()).isEqualTo("teltonika");
        assertThat(r.latitude()).isZero();
        assertThat(r.longitude()).isZero();
        assertThat(r.altitude()).isZero();
        assertThat(r.angle()).isZero();
        assertThat(r.satellites()).isZero();
        assertThat(r.speedKmh()).isZero();
        assertThat(r.obd()).isEmpty();
    }

    @Test
    void crc16IbmCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(TeltonikaProtocolDecoder.crc16(check, 0, check.length)).isEqualTo(0xBB3D);
    }

    /** IO ids become keys: the same shared string for every record below 1,024, the plain number above. */
    @Test
    void ioKeysAreSharedTextOfTheId() throws ProtocolException {
        assertThat(TeltonikaProtocolDecoder.key(0)).isEqualTo("0");
        assertThat(TeltonikaProtocolDecoder.key(1023)).isEqualTo("1023");
        assertThat(TeltonikaProtocolDecoder.key(1024)).isEqualTo("1024");
        assertThat(TeltonikaProtocolDecoder.key(65535)).isEqualTo("65535");
        DeviceRecord first = decode(TeltonikaVectors.V1).get(0);
        DeviceRecord again = decode(TeltonikaVectors.V1).get(0);
        assertThat(first.io()).isNotEmpty();
        for (String key : first.io().keySet()) {
            String same = again.io().keySet().stream().filter(key::equals).findFirst().orElseThrow();
            assertThat(same).isSameAs(key).isSameAs(TeltonikaProtocolDecoder.key(Integer.parseInt(key)));
        }
    }

    /** The table-driven CRC on vectors: empty input, single bytes, Teltonika's documented packets, an offset slice. */
    @Test
    void crc16TableVectors() {
        assertThat(TeltonikaProtocolDecoder.crc16(new byte[0], 0, 0)).isZero();
        assertThat(TeltonikaProtocolDecoder.crc16(new byte[] {0x01}, 0, 1)).isEqualTo(0xC0C1);
        assertThat(TeltonikaProtocolDecoder.crc16(new byte[] {(byte) 0x80}, 0, 1)).isEqualTo(0xA001);
        assertThat(TeltonikaProtocolDecoder.crc16(new byte[] {(byte) 0xFF}, 0, 1)).isEqualTo(0x4040);
        for (String[] v : new String[][] {{TeltonikaVectors.V1, "C7CF"}, {TeltonikaVectors.V2, "F22A"},
                {TeltonikaVectors.V3, "252C"}, {TeltonikaVectors.V4, "2994"}, {TeltonikaVectors.V5, "D153"}}) {
            byte[] frame = binary(v[0]);
            assertThat(TeltonikaProtocolDecoder.crc16(frame, 8, frame.length - 12)).as(v[0]).isEqualTo(Integer.parseInt(v[1], 16));
        }
        byte[] padded = ("xx123456789yy").getBytes(StandardCharsets.US_ASCII);
        assertThat(TeltonikaProtocolDecoder.crc16(padded, 2, 9)).isEqualTo(0xBB3D);
    }

    /** The table is the bitwise CRC-16/ARC, one byte at a time: same result on every input. */
    @Test
    void crc16TableEqualsBitwise() {
        java.util.Random random = new java.util.Random(17);
        for (int n = 0; n < 2000; n++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            int crc = 0;
            for (byte x : b) {
                crc ^= x & 0xFF;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
                }
            }
            assertThat(TeltonikaProtocolDecoder.crc16(b, 0, b.length)).isEqualTo(crc);
        }
    }

    @Test
    void loginImei() throws Exception {
        byte[] login = binary(TeltonikaVectors.LOGIN);
        assertThat(decoder.imei(new TeltonikaLogin(new String(login, 2, 15, StandardCharsets.US_ASCII), login))).isEqualTo(IMEI);
        assertThatThrownBy(() -> decoder.imei(new TeltonikaLogin("35630704244101X", login)))
                .isInstanceOf(ProtocolException.class).extracting(e -> ((ProtocolException) e).reason()).isEqualTo("bad-imei");
    }

    @Test
    void v1Codec8OneRecordIoInEveryWidth() throws Exception {
        DeviceRecord r = verifyRecords(decode(TeltonikaVectors.V1), 1).get(0);
        verifyOrigin(r);
        assertThat(r.fixTime()).isEqualTo(Instant.ofEpochMilli(1560161086000L)).hasToString("2019-06-10T10:04:46Z");
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.eventCode()).isEqualTo("1");
        assertThat(r.io()).containsOnly(entry("21", 3L), entry("1", 1L), entry("66", 24079L), entry("241", 24602L), entry("78", 0L));
        verifyAck(TeltonikaResponse.ack(1), "00000001");
    }

    @Test
    void v2Codec8OneRecord() throws Exception {
        DeviceRecord r = verifyRecords(decode(TeltonikaVectors.V2), 1).get(0);
        verifyOrigin(r);
        assertThat(r.fixTime()).isEqualTo(Instant.ofEpochMilli(1560161136000L));
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.eventCode()).isEqualTo("1");
        assertThat(r.io()).containsOnly(entry("21", 3L), entry("1", 1L), entry("66", 24080L));
    }

    @Test
    void v3Codec8TwoRecords() throws Exception {
        List<DeviceRecord> records = verifyRecords(decode(TeltonikaVectors.V3), 2);
        verifyOrigin(records.get(0));
        verifyOrigin(records.get(1));
        assertThat(records.get(0).fixTime()).isEqualTo(Instant.ofEpochMilli(1560160861000L));
        assertThat(records.get(0).priority()).isEqualTo(1);
        assertThat(records.get(0).eventCode()).isEqualTo("1");
        assertThat(records.get(0).io()).containsOnly(entry("1", 0L));
        assertThat(records.get(1).fixTime()).isEqualTo(Instant.ofEpochMilli(1560160879000L));
        assertThat(records.get(1).priority()).isEqualTo(1);
        assertThat(records.get(1).eventCode()).isEqualTo("1");
        assertThat(records.get(1).io()).containsOnly(entry("1", 1L));
        verifyAck(TeltonikaResponse.ack(records.size()), "00000002");
    }

    @Test
    void v4Codec8ExtendedOneRecord() throws Exception {
        DeviceRecord r = verifyRecords(decode(TeltonikaVectors.V4), 1).get(0);
        verifyOrigin(r);
        assertThat(r.fixTime()).isEqualTo(Instant.ofEpochMilli(1560166592000L));
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.eventCode()).isEqualTo("1");
        assertThat(r.io()).containsOnly(entry("1", 1L), entry("17", 29L), entry("16", 22949000L),
                entry("11", 893700218L), entry("14", 500686954L));
    }

    @Test
    void v5Codec8ExtendedPositionAndVariableLengthElement() throws Exception {
        DeviceRecord r = verifyRecords(decode(TeltonikaVectors.V5), 1).get(0);
        assertThat(r.deviceUid()).isEqualTo(IMEI);
        assertThat(r.fixTime()).isEqualTo(Instant.ofEpochMilli(1510658324000L));
        assertThat(r.priority()).isZero();
        assertThat(r.longitude()).isEqualTo(25.2562916);
        assertThat(r.latitude()).isEqualTo(54.6676016);
        assertThat(r.altitude()).isEqualTo(138.0);
        assertThat(r.angle()).isZero();
        assertThat(r.satellites()).isEqualTo(6);
        assertThat(r.speedKmh()).isZero();
        assertThat(r.eventCode()).isEqualTo("0");
        assertThat(r.io()).containsOnly(entry("239", 0L), entry("17", 30L), entry("16", 52191L),
                entry("11", 893700213L), entry("14", 700441809L), entry("256", "00".repeat(17)));
        verifyAck(TeltonikaResponse.ack(1), "00000001");
    }

    @Test
    void negativeCoordinatesAreSigned() throws Exception {
        byte[] frame = binary(TeltonikaVectors.V5);
        // longitude at offset 19: -25.2562916 = 0xF0F2321C, latitude -54.6676016 = 0xDF6A62D0
        byte[] lon = binary("F0F2321C");
        byte[] lat = binary("DF6A62D0");
        System.arraycopy(lon, 0, frame, 19, 4);
        System.arraycopy(lat, 0, frame, 23, 4);
        fixCrc(frame);
        DeviceRecord r = decoder.decode(IMEI, frame).get(0);
        assertThat(r.longitude()).isEqualTo(-25.2562916);
        assertThat(r.latitude()).isEqualTo(-54.6676016);
    }

    static void fixCrc(byte[] frame) {
        int crc = TeltonikaProtocolDecoder.crc16(frame, 8, frame.length - 12);
        frame[frame.length - 2] = (byte) (crc >>> 8);
        frame[frame.length - 1] = (byte) crc;
    }

    private void refused(byte[] frame, String reason) {
        assertThatThrownBy(() -> decoder.decode(IMEI, frame)).isInstanceOf(ProtocolException.class)
                .satisfies(e -> {
                    assertThat(((ProtocolException) e).reason()).isEqualTo(reason);
                    assertThat(((ProtocolException) e).deviceUid()).isEqualTo(IMEI);
                });
    }

    static byte[] withTimestamp(String vector, long millis) {
        byte[] frame = binary(vector);
        for (int i = 0; i < 8; i++) {
            frame[10 + i] = (byte) (millis >>> (56 - 8 * i));
        }
        fixCrc(frame);
        return frame;
    }

    /**
     * Issue 13: an intact packet (CRC right) with a time PostgreSQL cannot store can never be stored, whatever
     * the resends: it is unstorable content (kept and ACKed by the gateway), not transport damage.
     */
    @ParameterizedTest
    @ValueSource(longs = {-1L, Long.MIN_VALUE, 300_000_000_000_000L, 253_402_300_800_000L})
    void anIntactPacketWithATimePostgresCannotHoldIsUnstorableContent(long millis) {
        assertThatThrownBy(() -> decoder.decode(IMEI, withTimestamp(TeltonikaVectors.V1, millis)))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> {
                    assertThat(e.reason()).isEqualTo("bad-timestamp");
                    assertThat(e.deviceUid()).isEqualTo(IMEI);
                });
    }

    /** A GPS week-rollover date (19.6 years back), the epoch, or a clock far ahead is a real record: stored, flagged later. */
    @ParameterizedTest
    @ValueSource(strings = {"2000-10-06T12:00:00Z", "1970-01-01T00:00:00Z", "2090-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"})
    void wrongButRepresentableTimesAreDecoded(String time) throws Exception {
        Instant fix = Instant.parse(time);
        assertThat(decoder.decode(IMEI, withTimestamp(TeltonikaVectors.V1, fix.toEpochMilli())).get(0).fixTime()).isEqualTo(fix);
    }

    @Test
    void transportDamageIsNotUnstorableContent() {
        byte[] frame = binary(TeltonikaVectors.V1);
        frame[12] ^= 0x01;
        assertThatThrownBy(() -> decoder.decode(IMEI, frame)).isInstanceOf(ProtocolException.class)
                .isNotInstanceOf(UnstorableContentException.class);
    }

    @Test
    void changedPayloadByteWithTheOldCrcIsRefused() {
        for (String vector : TeltonikaVectors.ALL) {
            byte[] frame = binary(vector);
            for (int i = 8; i < frame.length - 4; i++) {
                byte[] changed = frame.clone();
                changed[i] ^= 0x01;
                refused(changed, "bad-crc");
            }
        }
    }

    @Test
    void crcWithNonZeroHighBytesIsRefused() {
        byte[] frame = binary(TeltonikaVectors.V1);
        frame[frame.length - 4] = 0x01;
        refused(frame, "bad-crc");
    }

    @Test
    void nonZeroPreambleIsRefused() {
        byte[] frame = binary(TeltonikaVectors.V2);
        frame[0] = 0x01;
        refused(frame, "bad-preamble");
    }

    @Test
    void numberOfData2DifferentFromNumberOfData1IsRefused() {
        byte[] frame = binary(TeltonikaVectors.V3);
        frame[frame.length - 5] = 0x01;
        fixCrc(frame);
        refused(frame, "count-mismatch");
    }

    @Test
    void countThatPromisesMoreRecordsThanThereAreIsRefused() {
        byte[] frame = binary(TeltonikaVectors.V2);
        frame[9] = 0x02;
        frame[frame.length - 5] = 0x02;
        fixCrc(frame);
        refused(frame, "truncated-record");
    }

    @Test
    void lengthFieldThatDisagreesWithTheFrameIsRefused() {
        byte[] frame = binary(TeltonikaVectors.V1);
        frame[7]++;
        refused(frame, "bad-length");
        refused(java.util.Arrays.copyOf(binary(TeltonikaVectors.V1), 10), "bad-length");
    }

    @Test
    void gprsCommandCodecIsNotAvl() {
        // codec 0C, type 06 (command) "getinfo": not AVL data
        byte[] frame = binary("000000000000000F0C010600000007676574696E666F0100000000");
        fixCrc(frame);
        refused(frame, "unsupported-codec");
    }
}
