package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.Audit;
import io.fleetcore.sim.AvlRecord;
import io.fleetcore.sim.Simulator;
import io.fleetcore.sim.TeltonikaEncoder;
import io.fleetcore.testing.RunningFleetcore;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Teltonika device on a real socket → ACK counts → rows in the real PostgreSQL, through the real route files. */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class TeltonikaGatewayIT {

    static RunningFleetcore fc;

    /** Settings of the topology under test; subclasses run the same tests on another route folder. */
    Map<String, String> topology() {
        return Map.of();
    }

    @BeforeAll
    void start() {
        startWith(topology());
    }

    static void startWith(Map<String, String> settings) {
        fc = RunningFleetcore.start(settings);
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    /** One device connection: write bytes, read exactly n reply bytes (or what came before close/timeout). */
    static final class Device implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Device(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
        }

        String send(byte[] bytes, int replyBytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            byte[] reply = in.readNBytes(replyBytes);
            return HexFormat.of().withUpperCase().formatHex(reply);
        }

        String send(String hex, int replyBytes) throws IOException {
            return send(HexFormat.of().parseHex(hex), replyBytes);
        }

        /** true when the server closed the connection without sending anything more. */
        boolean closedWithoutReply() throws IOException {
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static String login(String imei) {
        return HexFormat.of().formatHex(TeltonikaEncoder.login(imei));
    }

    @Test
    void vectorsAreAckedWithTheirCountsStoredOnceAndAckedAgainWhenResent() throws Exception {
        for (int round = 0; round < 2; round++) {
            try (Device d = new Device(fc.teltonikaPort())) {
                assertThat(d.send(TeltonikaVectors.LOGIN, 1)).isEqualTo("01");
                assertThat(d.send(TeltonikaVectors.V1, 4)).isEqualTo("00000001");
                assertThat(d.send("FF" + TeltonikaVectors.V2, 4)).isEqualTo("00000001");
                assertThat(d.send(TeltonikaVectors.V3, 4)).isEqualTo("00000002");
                assertThat(d.send(TeltonikaVectors.V4 + TeltonikaVectors.V5, 8)).isEqualTo("0000000100000001");
            }
            assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + TeltonikaVectors.IMEI + "'", 6))
                    .as("round " + round).isEqualTo(6);
        }
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select fix_time, latitude, longitude, altitude, satellites, priority, event_code,"
                     + " protocol, io->>'239', io->>'16', io->>'14', io->>'256', obd::text from records where device_uid = '"
                     + TeltonikaVectors.IMEI + "' and fix_time = to_timestamp(1510658324)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(2)).isEqualTo(54.6676016);
            assertThat(rs.getDouble(3)).isEqualTo(25.2562916);
            assertThat(rs.getDouble(4)).isEqualTo(138.0);
            assertThat(rs.getInt(5)).isEqualTo(6);
            assertThat(rs.getInt(6)).isZero();
            assertThat(rs.getString(7)).isEqualTo("0");
            assertThat(rs.getString(8)).isEqualTo("teltonika");
            assertThat(rs.getString(9)).isEqualTo("0");
            assertThat(rs.getString(10)).isEqualTo("52191");
            assertThat(rs.getString(11)).isEqualTo("700441809");
            assertThat(rs.getString(12)).isEqualTo("00".repeat(17));
            assertThat(rs.getString(13)).isEqualTo("{}");
            assertThat(rs.next()).isFalse();
        }
        assertThat(fc.count("select count(*) from records where device_uid = '" + TeltonikaVectors.IMEI
                + "' and fix_time = to_timestamp(1560161086) and io->>'66' = '24079' and io->>'241' = '24602'"
                + " and io->>'21' = '3' and event_code = '1' and priority = 1")).isEqualTo(1);
        assertThat(fc.count("select count(*) from devices where device_uid = '" + TeltonikaVectors.IMEI
                + "' and protocol = 'teltonika' and enabled")).isEqualTo(1);
    }

    @Test
    void obdValuesAreNamedAndScaled() throws Exception {
        String imei = "356307042441099";
        AvlRecord r = new AvlRecord(1_700_000_000_000L, 1, 252562916, 546676016, 120, 90, 9, 64, 36,
                Map.of(30, 2L, 32, 0xF6L, 48, 63L), Map.of(36, 1726L, 40, 1234L, 51, 14123L), Map.of(389, 123456L),
                Map.of(), Map.of(256, "WVWZZZ1JZXW000001".getBytes(StandardCharsets.US_ASCII),
                        281, "P0101,P0300".getBytes(StandardCharsets.US_ASCII)));
        byte[] packet = TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8E, List.of(r));
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send(login(imei), 1)).isEqualTo("01");
            assertThat(d.send(packet, 4)).isEqualTo("00000001");
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select obd->>'rpm', obd->>'coolant_temp_c', obd->>'maf_gps', obd->>'module_voltage_v',"
                     + " obd->>'fuel_level_pct', obd->>'dtc_count', obd->>'obd_odometer_km', obd->>'vin', obd->'dtcs'::text,"
                     + " io->>'36', speed_kmh, event_code from records where device_uid = '" + imei + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1726");
            assertThat(rs.getString(2)).isEqualTo("-10");
            assertThat(rs.getString(3)).isEqualTo("12.34");
            assertThat(rs.getString(4)).isEqualTo("14.123");
            assertThat(rs.getString(5)).isEqualTo("63");
            assertThat(rs.getString(6)).isEqualTo("2");
            assertThat(rs.getString(7)).isEqualTo("123456");
            assertThat(rs.getString(8)).isEqualTo("WVWZZZ1JZXW000001");
            assertThat(rs.getString(9)).isEqualTo("[\"P0101\", \"P0300\"]");
            assertThat(rs.getString(10)).isEqualTo("1726");
            assertThat(rs.getDouble(11)).isEqualTo(64.0);
            assertThat(rs.getString(12)).isEqualTo("36");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void corruptedPacketIsNeverAckedIsKeptAndClosesTheConnection() throws Exception {
        String imei = "356307042441077";
        byte[] bad = HexFormat.of().parseHex(TeltonikaVectors.V2);
        bad[30] ^= 0x10;
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send(login(imei), 1)).isEqualTo("01");
            assertThat(d.send(bad, 4)).as("no ACK, connection closed").isEmpty();
            assertThat(d.closedWithoutReply()).isTrue();
        }
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and protocol = 'teltonika' and reason = 'bad-crc' and frame_hex = '"
                + HexFormat.of().formatHex(bad) + "'")).isEqualTo(1);
        assertThat(fc.count("select rejected_frames from devices where device_uid = '" + imei + "'")).isEqualTo(1);
        // the device sends it again, intact, on a new connection
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send(login(imei), 1)).isEqualTo("01");
            assertThat(d.send(TeltonikaVectors.V2, 4)).isEqualTo("00000001");
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
    }

    @Test
    void packetBeyondTheMaximumFrameSizeIsRefusedKeptAndClosesTheConnection() throws Exception {
        String imei = "356307042441066";
        String head = "00000000" + "7FFFFFF0" + "08";
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send(login(imei), 1)).isEqualTo("01");
            assertThat(d.send(head + "00".repeat(200), 4)).as("no ACK, connection closed").isEmpty();
        }
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and reason = 'frame-too-large' and frame_hex like '" + head.toLowerCase() + "%'"))
                .isEqualTo(1);
    }

    @Test
    void garbageInsteadOfALoginIsRefusedAndKept() throws Exception {
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send("474554202F20485454502F312E310D0A", 1)).as("no answer, connection closed").isEmpty();
        }
        assertThat(fc.count("select count(*) from rejected_frames where protocol = 'teltonika' and reason = 'bad-imei'"
                + " and frame_hex = '474554202f20485454502f312e310d0a'")).isEqualTo(1);
    }

    @Test
    void disabledDeviceGetsZeroAndTheConnectionCloses() throws Exception {
        String imei = "356307042441055";
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol, enabled) values ('" + imei + "', 'teltonika', false)");
        }
        try (Device d = new Device(fc.teltonikaPort())) {
            assertThat(d.send(login(imei), 1)).isEqualTo("00");
            assertThat(d.closedWithoutReply()).isTrue();
        }
    }

    @Test
    void simulatedTeltonikaFleetIsAckedCompletelyAndAuditsClean() throws Exception {
        Path ledger = Path.of("target", "it-ledgers", "simulate-teltonika-" + System.nanoTime() + ".csv");
        Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.teltonikaPort(), Simulator.Protocol.TELTONIKA,
                20, 5, 0, Duration.ofSeconds(2), 0, ledger, Duration.ofSeconds(10), Duration.ofMillis(200),
                Duration.ZERO, true, 1, Duration.ofSeconds(1));
        long before = fc.count("select count(*) from records");
        Simulator.Result result = new Simulator(settings, System.out).run();
        // broker-first stores after the ACK: wait for the ingest consumer
        fc.awaitCount("select count(*) from records", before + result.acked());
        assertThat(result.drained()).isTrue();
        assertThat(result.acked()).isGreaterThan(100).isEqualTo(result.sent());
        assertThat(result.refused()).isZero();
        assertThat(Audit.run(ledger, fc.server().runtime().database().dataSource()))
                .isEqualTo(new Audit.Result(result.acked(), result.acked(), 0, 0));
    }

    @Test
    void jsonObdResponsesGetNamedValues() throws Exception {
        String packet = "{\"device_number\":\"json-obd-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\",\"obd\":[\"410C1AF8\",\"41057B\",\"4101830764E0\"]}";
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 5000)).isEqualTo("1");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = 'json-obd-1'", 1)).isEqualTo(1);
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select obd->>'rpm', obd->>'coolant_temp_c', io->'obd'->>2 from records"
                     + " where device_uid = 'json-obd-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1726");
            assertThat(rs.getString(2)).isEqualTo("83");
            assertThat(rs.getString(3)).isEqualTo("4101830764E0");
        }
    }
}
