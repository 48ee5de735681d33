package io.fleetcore.protocol.gt06;

import io.fleetcore.protocol.Crc16;
import static io.fleetcore.protocol.gt06.Gt06Vectors.IMEI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import io.fleetcore.protocol.UnstorableContentException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One vector per GT06 message type (Gt06Vectors), every value asserted, and the refusals by reason. */
class Gt06ProtocolDecoderTest extends ProtocolTest {

    private final Gt06ProtocolDecoder decoder = new Gt06ProtocolDecoder();

    private Gt06Message decode(String hex) throws ProtocolException {
        return decoder.decode(new Gt06Frame(IMEI, binary(hex)));
    }

    private String reason(String imei, String hex) {
        try {
            decoder.decode(new Gt06Frame(imei, binary(hex)));
        } catch (ProtocolException e) {
            return e.reason();
        }
        throw new AssertionError("accepted " + hex);
    }

    /** The reference: CRC-16/X-25 bit by bit, as the protocol description defines it. */
    static int bitwiseCrc(byte[] b, int from, int to) {
        int crc = 0xFFFF;
        for (int i = from; i < to; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return crc ^ 0xFFFF;
    }

    @Test
    void crcItuCheckValueAndEveryVectorAgreeWithTheBitwiseReference() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16.X25.of(check, 0, check.length)).isEqualTo(0x906E).isEqualTo(bitwiseCrc(check, 0, check.length));
        String[] all = {Gt06Vectors.LOGIN, Gt06Vectors.LOGIN_ACK, Gt06Vectors.LOCATION, Gt06Vectors.LOCATION_2, Gt06Vectors.HEARTBEAT,
            Gt06Vectors.HEARTBEAT_ACK, Gt06Vectors.HEARTBEAT_2, Gt06Vectors.HEARTBEAT_2_ACK, Gt06Vectors.ALARM, Gt06Vectors.ALARM_ACK,
            Gt06Vectors.ALARM_2, Gt06Vectors.ALARM_2_ACK};
        for (String v : all) {
            byte[] f = binary(v);
            int sent = ((f[f.length - 4] & 0xFF) << 8) | (f[f.length - 3] & 0xFF);
            assertThat(Crc16.X25.of(f, 2, f.length - 6)).as(v).isEqualTo(sent).isEqualTo(bitwiseCrc(f, 2, f.length - 4));
        }
        byte[] random = new byte[4096];
        new Random(18).nextBytes(random);
        for (int n = 0; n < random.length; n += 97) {
            assertThat(Crc16.X25.of(random, 0, n)).isEqualTo(bitwiseCrc(random, 0, n));
        }
    }

    /** The message's type and serial and its one record's fix, every field of the position asserted; returns the record. */
    private static DeviceRecord verifyFix(Gt06Message m, int protocolNumber, int serial, String time, double latitude,
            double longitude, double speed, int course, int satellites) {
        assertThat(m.protocolNumber()).isEqualTo(protocolNumber);
        assertThat(m.serial()).isEqualTo(serial);
        assertThat(m.imei()).isEqualTo(IMEI);
        assertThat(m.status()).isEmpty();
        DeviceRecord r = verifyRecords(m.records(), 1).get(0);
        assertThat(r.deviceUid()).isEqualTo(IMEI);
        assertThat(r.protocol()).isEqualTo("gt06");
        assertThat(r.fixTime()).isEqualTo(Instant.parse(time));
        assertThat(r.latitude()).isCloseTo(latitude, within(1e-6));
        assertThat(r.longitude()).isCloseTo(longitude, within(1e-6));
        assertThat(r.speedKmh()).isEqualTo(speed);
        assertThat(r.angle()).isEqualTo(course);
        assertThat(r.satellites()).isEqualTo(satellites);
        assertThat(r.altitude()).isNull();
        assertThat(r.priority()).isNull();
        assertThat(r.obd()).isEmpty();
        return r;
    }

    @Test
    void loginOfTheManualNamesTheDeviceAndIsAnsweredWithItsSerial() throws Exception {
        Gt06Message m = decoder.decode(new Gt06Frame(null, binary(Gt06Vectors.LOGIN)));
        assertThat(m.protocolNumber()).isEqualTo(0x01);
        assertThat(m.login()).isTrue();
        assertThat(m.serial()).isEqualTo(1);
        assertThat(m.imei()).isEqualTo(IMEI);
        assertThat(m.records()).isEmpty();
        assertThat(m.status()).isEmpty();
        verifyAck(Gt06Response.replyTo(m).orElseThrow(), Gt06Vectors.LOGIN_ACK);
        verifyAck(Gt06Response.ack(0x01, 1), "787805010001D9DC0D0A");
    }

    @Test
    void location12NorthEastWithItsCellAndNoReply() throws Exception {
        Gt06Message m = decode(Gt06Vectors.LOCATION);
        DeviceRecord r = verifyFix(m, 0x12, 2, "2026-11-30T10:15:30Z", 37.9815116, 23.7315200, 60, 123, 11);
        assertThat(r.eventCode()).isNull();
        assertThat(r.io()).containsOnly(entry("gnss_fixed", true), entry("mcc", 202), entry("mnc", 1), entry("lac", 0x1234),
                entry("cell_id", 0xABCD));
        assertThat(Gt06Response.replyTo(m)).isEmpty();
    }

    @Test
    void location22SouthWestWithAccUploadModeAndMileage() throws Exception {
        Gt06Message m = decode(Gt06Vectors.LOCATION_2);
        DeviceRecord r = verifyFix(m, 0x22, 3, "2026-12-01T23:59:59Z", -34.6037, -58.3816, 0, 270, 9);
        assertThat(r.eventCode()).isNull();
        assertThat(r.io()).containsOnly(entry("gnss_fixed", true), entry("mcc", 722), entry("mnc", 7), entry("lac", 4000),
                entry("cell_id", 77161), entry("ignition", true), entry("upload_mode", 0), entry("re_upload", false),
                entry("mileage", 123456L));
        assertThat(Gt06Response.replyTo(m)).isEmpty();
    }

    @Test
    void heartbeat13ReportsTheTerminalStatusAndIsAnswered() throws Exception {
        Gt06Message m = decode(Gt06Vectors.HEARTBEAT);
        assertThat(m.protocolNumber()).isEqualTo(0x13);
        assertThat(m.serial()).isEqualTo(4);
        assertThat(m.imei()).isEqualTo(IMEI);
        assertThat(m.records()).isEmpty();
        assertThat(m.status()).containsOnly(entry("terminal_info", 0x46), entry("armed", false), entry("ignition", true),
                entry("charging", true), entry("gps_tracking", true), entry("fuel_cut", false), entry("voltage_level", 4),
                entry("gsm_signal", 3), entry("alarm_code", 0), entry("language", 2));
        verifyAck(Gt06Response.replyTo(m).orElseThrow(), Gt06Vectors.HEARTBEAT_ACK);
    }

    @Test
    void heartbeat23WithATwoByteVoltage() throws Exception {
        Gt06Message m = decode(Gt06Vectors.HEARTBEAT_2);
        assertThat(m.protocolNumber()).isEqualTo(0x23);
        assertThat(m.serial()).isEqualTo(5);
        assertThat(m.records()).isEmpty();
        assertThat(m.status()).containsOnly(entry("terminal_info", 0x02), entry("armed", false), entry("ignition", true),
                entry("charging", false), entry("gps_tracking", false), entry("fuel_cut", false),
                entry("external_voltage_v", 13.5), entry("gsm_signal", 4), entry("alarm_code", 0), entry("language", 2));
        verifyAck(Gt06Response.replyTo(m).orElseThrow(), Gt06Vectors.HEARTBEAT_2_ACK);
    }

    @Test
    void alarm16SosWithLocationCellAndTerminalInfo() throws Exception {
        Gt06Message m = decode(Gt06Vectors.ALARM);
        DeviceRecord r = verifyFix(m, 0x16, 6, "2026-11-30T10:15:30Z", 37.9815116, 23.7315200, 60, 123, 11);
        assertThat(r.eventCode()).isEqualTo("sos");
        assertThat(r.io()).containsOnly(entry("gnss_fixed", true), entry("mcc", 202), entry("mnc", 1), entry("lac", 0x1234),
                entry("cell_id", 0xABCD), entry("terminal_info", 0x22), entry("armed", false), entry("ignition", true),
                entry("charging", false), entry("terminal_alarm", "sos"), entry("gps_tracking", false), entry("fuel_cut", false),
                entry("voltage_level", 5), entry("gsm_signal", 4), entry("alarm_code", 1), entry("language", 2));
        verifyAck(Gt06Response.replyTo(m).orElseThrow(), Gt06Vectors.ALARM_ACK);
    }

    @Test
    void alarm26WithoutLbsAndAnAlarmCodeOutsideTheTable() throws Exception {
        Gt06Message m = decode(Gt06Vectors.ALARM_2);
        DeviceRecord r = verifyFix(m, 0x26, 7, "2026-12-01T23:59:59Z", -34.6037, -58.3816, 0, 270, 9);
        assertThat(r.eventCode()).isEqualTo("alarm_13");
        assertThat(r.io()).containsOnly(entry("gnss_fixed", false), entry("terminal_info", 0x0A), entry("armed", false),
                entry("ignition", true), entry("charging", false), entry("terminal_alarm", "vibration"), entry("gps_tracking", false),
                entry("fuel_cut", false), entry("voltage_level", 2), entry("gsm_signal", 3), entry("alarm_code", 0x13),
                entry("language", 1));
        verifyAck(Gt06Response.replyTo(m).orElseThrow(), Gt06Vectors.ALARM_2_ACK);
    }

    @Test
    void everyDocumentedAlarmCodeHasItsEventCode() {
        assertThat(Gt06ProtocolDecoder.ALARMS).containsOnly(entry(1, "sos"), entry(2, "power_cut"), entry(3, "vibration"),
                entry(4, "geofence_enter"), entry(5, "geofence_exit"), entry(6, "overspeed"));
    }

    @Test
    void aLongFrameIsFramedByItsTwoByteLength() throws Exception {
        // the LOCATION content in a 7979 frame: length 001F as two bytes, CRC over length .. serial
        byte[] f = binary("7979001F121A0B1E0A0F1ECB04133181028BCE403C147B00CA01123400ABCD0002" + "0000" + "0D0A");
        int crc = bitwiseCrc(f, 2, f.length - 4);
        f[f.length - 4] = (byte) (crc >>> 8);
        f[f.length - 3] = (byte) crc;
        DeviceRecord r = verifyRecords(decoder.decode(new Gt06Frame(IMEI, f)).records(), 1).get(0);
        assertThat(r.latitude()).isCloseTo(37.9815116, within(1e-6));
        assertThat(r.angle()).isEqualTo(123);
    }

    /** hex with its CRC field recomputed: the frame is intact, only its content is wrong */
    static String withCrc(String hex) {
        byte[] f = binary(hex);
        int crc = bitwiseCrc(f, 2, f.length - 4);
        f[f.length - 4] = (byte) (crc >>> 8);
        f[f.length - 3] = (byte) crc;
        return hex(f);
    }

    static Stream<Arguments> refusals() {
        String location = Gt06Vectors.LOCATION;
        return Stream.of(
                Arguments.of("bad-crc", "78780D01012345678901234500018CDE0D0A"),
                Arguments.of("bad-crc", location.replace("00ABCD0002", "00ABCE0002")),
                Arguments.of("bad-start", "7879" + location.substring(4)),
                Arguments.of("bad-start", "0000000000"),
                Arguments.of("bad-stop", location.substring(0, location.length() - 4) + "0D0D"),
                Arguments.of("bad-length", "78781E" + location.substring(6)),
                Arguments.of("bad-length", "787802010D0A"),
                Arguments.of("truncated-content", withCrc("78780512000100000D0A")),
                // found by Gt06FuzzTest: a heartbeat without content escaped as IndexOutOfBoundsException
                Arguments.of("truncated-content", withCrc("78780513000400000D0A")),
                Arguments.of("truncated-content", withCrc(location.replace("78781F12", "78781E12").replace("00ABCD0002", "00AB0002"))),
                Arguments.of("unsupported-message", withCrc("78780515000100000D0A")),
                Arguments.of("bad-imei", withCrc("78780D010A234567890123450001" + "0000" + "0D0A")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void damagedOrUnknownFramesAreRefusedByReason(String expected, String hex) {
        assertThat(reason(IMEI, hex)).isEqualTo(expected);
    }

    @Test
    void aFrameBeforeLoginIsRefused() {
        assertThat(reason(null, Gt06Vectors.LOCATION)).isEqualTo("not-logged-in");
        assertThat(reason(null, Gt06Vectors.HEARTBEAT)).isEqualTo("not-logged-in");
    }

    @Test
    void anIntactFrameWithAnImpossibleDateIsUnstorableContent() {
        // month 13: a resend cannot repair it
        byte[] f = binary(Gt06Vectors.LOCATION);
        f[5] = 13;
        int crc = bitwiseCrc(f, 2, f.length - 4);
        f[f.length - 4] = (byte) (crc >>> 8);
        f[f.length - 3] = (byte) crc;
        assertThatThrownBy(() -> decoder.decode(new Gt06Frame(IMEI, f))).isInstanceOf(UnstorableContentException.class)
                .extracting(e -> ((ProtocolException) e).reason(), e -> ((ProtocolException) e).deviceUid())
                .containsExactly("bad-timestamp", IMEI);
    }
}
