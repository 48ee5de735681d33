package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.TeltonikaEncoder;
import io.fleetcore.testing.RunningFleetcore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission that cannot be walked around, and refusals that stay bounded, on real sockets against the real
 * route files, with {@code FLEETCORE_UNKNOWN_DEVICES=reject}.
 */
class GatewayAdmissionIT {

    /** A Codec 8 packet with one record (Teltonika's documentation example). */
    static final String PACKET = "000000000000003608010000016B40D8EA30010000000000000000000000000000000105021503010101425E0F01F10000601A014E0000000000000000010000C7CF";

    static RunningFleetcore fc;

    @BeforeAll
    static void start() throws Exception {
        fc = RunningFleetcore.start(Map.of(
                "fleetcore.unknown-devices", "reject",
                "fleetcore.json.max-refused-in-row", "3",
                "fleetcore.db.pool-size", "2"));
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol, enabled) values"
                    + " ('json-ok', 'json', true), ('json-off', 'json', false), ('tel-1', 'teltonika', true),"
                    + " ('356307042449999', 'json', true)");
        }
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    static String json(String device, String time) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 " + time + "\","
                + "\"latitude\":\"37.98\",\"longitude\":\"23.73\"}";
    }

    /** Writes {@code bytes} and reads every reply until the server closes; fails when it does not close within 5 s. */
    static byte[] untilClosed(int port, byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) >= 0; ) {
                    reply.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection; replies so far: " + reply, e);
            }
            return reply.toByteArray();
        }
    }

    static String untilClosed(int port, String text) throws Exception {
        return new String(untilClosed(port, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    @Test
    void jsonFramesOfUnknownDisabledOrOtherProtocolDevicesAreRefusedWithZeroAndNotRegistered() throws Exception {
        String payload = json("json-ok", "12:00:00") + json("json-stranger", "12:00:01") + json("json-off", "12:00:02")
                + json("json-ok", "12:00:04") + json("tel-1", "12:00:03");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), payload, 5, 5000)).isEqualTo("10010");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = 'json-ok'"
                + " and fix_time between '2020-02-05 12:00:00+00' and '2020-02-05 12:59:59+00'", 2)).isEqualTo(2);
        assertThat(fc.count("select count(*) from records where device_uid in ('json-stranger', 'json-off', 'tel-1')")).isZero();
        assertThat(fc.count("select count(*) from devices where device_uid = 'json-stranger'")).as("not registered").isZero();
        assertThat(fc.count("select count(*) from rejected_frames where reason = 'device-not-admitted'"
                + " and device_uid in ('json-stranger', 'tel-1')")).isEqualTo(2);
        // the disabled device: refused by the gateway's disabled-device step (or, before it has seen the change,
        // by admission); kept either way
        assertThat(fc.count("select count(*) from rejected_frames where reason in ('device-disabled', 'device-not-admitted')"
                + " and device_uid = 'json-off'")).isEqualTo(1);
    }

    @Test
    void aTeltonikaPacketWrittenBehindARefusedLoginIsNotStored() throws Exception {
        String imei = "356307042448888";
        byte[] login = TeltonikaEncoder.login(imei);
        byte[] packet = HexFormat.of().parseHex(PACKET);
        byte[] both = new byte[login.length + packet.length];
        System.arraycopy(login, 0, both, 0, login.length);
        System.arraycopy(packet, 0, both, login.length, packet.length);
        assertThat(HexFormat.of().formatHex(untilClosed(fc.teltonikaPort(), both))).as("00, then closed").isEqualTo("00");
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
        assertThat(fc.count("select count(*) from devices where device_uid = '" + imei + "'")).isZero();
    }

    @Test
    void aDeviceRegisteredForJsonIsNotAdmittedOnTeltonika() throws Exception {
        byte[] login = TeltonikaEncoder.login("356307042449999");
        assertThat(HexFormat.of().formatHex(untilClosed(fc.teltonikaPort(), login))).isEqualTo("00");
    }

    @Test
    void aJsonConnectionIsClosedAfterTheConfiguredRefusalsInARow() throws Exception {
        String payload = json("json-ok", "13:00:00") + "junk 1\n" + "junk 2\n" + json("json-ok", "13:00:01")
                + "junk 3\n" + "junk 4\n" + "junk 5\n" + json("json-ok", "13:00:02");
        assertThat(untilClosed(fc.jsonPort(), payload)).as("a good frame ends a run; the third in a row closes").isEqualTo("1001000");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = 'json-ok' and fix_time >= '2020-02-05 13:00:00+00'", 2))
                .isEqualTo(2);
    }

    @Test
    void anOversizedJsonFrameIsRefusedKeptAsFrameTooLargeAndClosesTheConnection() throws Exception {
        String big = "{\"device_number\":\"json-ok\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(untilClosed(fc.jsonPort(), json("json-ok", "14:00:00") + big + json("json-ok", "14:00:01"))).isEqualTo("10");
        assertThat(fc.count("select count(*) from rejected_frames where protocol = 'json' and reason = 'frame-too-large'"
                + " and length(frame_hex) = 2048 and frame_hex like '" + HexFormat.of().formatHex("{\"device_number\"".getBytes(StandardCharsets.US_ASCII))
                + "%'")).isEqualTo(1);
    }

    @Test
    void refusalsAreAnsweredAndKeptWhileTheWritersPoolIsExhausted() throws Exception {
        DataSource writers = fc.server().runtime().database().dataSource();
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(writers.getConnection());
            }
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), json("json-pool-stranger", "15:00:00"), 1, 5000)).isEqualTo("0");
            assertThat(fc.count("select count(*) from rejected_frames where device_uid = 'json-pool-stranger'")).isEqualTo(1);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }
}
