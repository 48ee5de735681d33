package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.TeltonikaEncoder;
import io.fleetcore.testing.RunningFleetcore;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, bytes on a socket: content that can never be stored is never ACKed and then parked. json answers
 * {@code 0} and keeps the frame in rejected_frames; Teltonika (no refusal) commits the raw packet to
 * rejected_frames, counts and alerts it, ACKs it and keeps the connection, so the device moves on. Also when
 * it is PostgreSQL that refuses the data (SQLSTATE 22/23, here a check constraint).
 */
class UnstorableContentIT {

    static final String TELTONIKA_V2 = "000000000000002808010000016B40D9AD80010000000000000000000000000000000103021503010101425E100000010000F22A";
    static RunningFleetcore fc;

    @BeforeAll
    static void start() throws Exception {
        fc = RunningFleetcore.start(Map.of());
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("alter table records add constraint refused_here check (device_uid not in ('356307042441013', 'db-refuses-me'))");
        }
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    static String json(String device, String date, String extra) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"" + date
                + "\",\"latitude\":\"37.98\",\"longitude\":\"23.73\"" + extra + "}";
    }

    long rejected(String device, String reason) throws Exception {
        return fc.count("select count(*) from rejected_frames where device_uid = '" + device + "' and reason = '" + reason + "'");
    }

    /** The reproductions of the issue: each got '1', was retried ten times and parked. */
    @Test
    void jsonFramesThatCanNeverBeStoredAreRefusedWithZeroAndKept() throws Exception {
        String nul = json("nul-13", "2020/02/05 12:18:28", ",\"note\":\"a\\u0000b\"");
        String farFuture = json("year-13", "+294277-01-01T00:00:00Z", "");
        String fine = json("fine-13", "2020/02/05 12:18:28", "");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), nul + fine, 2, 10_000)).isEqualTo("01");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), farFuture, 1, 10_000)).isEqualTo("0");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), json("db-refuses-me", "2020/02/05 12:18:28", ""), 1, 10_000)).isEqualTo("0");

        assertThat(rejected("nul-13", "nul-character")).isEqualTo(1);
        assertThat(rejected("year-13", "bad-date")).isEqualTo(1);
        assertThat(rejected("db-refuses-me", "refused-by-database")).isEqualTo(1);
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = 'db-refuses-me' and detail like '%23514%refused_here%'"))
                .isEqualTo(1);
        assertThat(fc.count("select count(*) from records where device_uid in ('nul-13', 'year-13', 'db-refuses-me')")).isZero();
        assertThat(fc.count("select count(*) from records where device_uid = 'fine-13'")).isEqualTo(1);
        assertThat(fc.counter("fleetcore.records.dead.lettered")).as("nothing went to the retry queue").isZero();
    }

    @Test
    void teltonikaPacketWithATimePostgresCannotHoldIsKeptCountedAlertedAndAcked() throws Exception {
        String imei = "356307042441012";
        byte[] bad = HexFormat.of().parseHex(TELTONIKA_V2);
        long millis = 300_000_000_000_000L; // year 11476
        for (int i = 0; i < 8; i++) {
            bad[10 + i] = (byte) (millis >>> (56 - 8 * i));
        }
        int crc = TeltonikaEncoder.crc16(bad, 8, bad.length - 12);
        bad[bad.length - 2] = (byte) (crc >>> 8);
        bad[bad.length - 1] = (byte) crc;
        try (Socket s = new Socket("127.0.0.1", fc.teltonikaPort())) {
            s.setSoTimeout(10_000);
            assertThat(send(s, TeltonikaEncoder.login(imei), 1)).isEqualTo("01");
            assertThat(send(s, bad, 4)).as("ACKed: a resend could never succeed").isEqualTo("00000001");
            assertThat(send(s, HexFormat.of().parseHex(TELTONIKA_V2), 4)).as("the connection goes on").isEqualTo("00000001");
        }
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and protocol = 'teltonika' and reason = 'bad-timestamp' and frame_hex = '" + HexFormat.of().formatHex(bad) + "'"))
                .isEqualTo(1);
        assertThat(fc.count("select rejected_frames from devices where device_uid = '" + imei + "'")).isEqualTo(1);
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
        assertThat(kept("bad-timestamp")).isEqualTo(1.0);
        assertThat(fc.server().runtime().metrics().registry().get("fleetcore.alerts").tag("kind", "frame").tag("state", "kept")
                .counter().count()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void teltonikaPacketThePostgresRefusesIsKeptAndAckedNotParked() throws Exception {
        String imei = "356307042441013";
        try (Socket s = new Socket("127.0.0.1", fc.teltonikaPort())) {
            s.setSoTimeout(10_000);
            assertThat(send(s, TeltonikaEncoder.login(imei), 1)).isEqualTo("01");
            assertThat(send(s, HexFormat.of().parseHex(TELTONIKA_V2), 4)).isEqualTo("00000001");
        }
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and reason = 'refused-by-database' and frame_hex = '" + TELTONIKA_V2.toLowerCase() + "'")).isEqualTo(1);
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
        assertThat(kept("refused-by-database")).isEqualTo(1.0);
        assertThat(fc.counter("fleetcore.records.dead.lettered")).as("nothing went to the retry queue").isZero();
    }

    double kept(String reason) {
        return fc.server().runtime().metrics().registry().get("fleetcore.frames.kept").tag("reason", reason).counter().count();
    }

    static String send(Socket s, byte[] bytes, int replyBytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        try {
            return HexFormat.of().withUpperCase().formatHex(in.readNBytes(replyBytes));
        } catch (SocketTimeoutException e) {
            return "timeout";
        }
    }
}
