package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bytes on a socket → rows in the real PostgreSQL, through the real route files. */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class JsonGatewayIT {

    static final String PACKET = "{\"device_number\":\"86915304265485\",\"event_code\":\"4002\","
            + "\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";

    static RunningFleetcore fc;

    /** Settings of the topology under test; subclasses run the same tests on another route folder. */
    Map<String, String> topology() {
        return Map.of();
    }

    @BeforeAll
    void start() {
        startWith(topology());
    }

    /** Subclasses run the same tests on another route folder. */
    static void startWith(Map<String, String> settings) {
        fc = RunningFleetcore.start(settings);
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    @Test
    void packetBecomesOneRowWithTheRightValuesHoweverOftenItIsSent() throws Exception {
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), PACKET, 1, 5000)).isEqualTo("1");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), PACKET, 1, 5000)).isEqualTo("1");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), PACKET + "\n" + PACKET, 2, 5000)).isEqualTo("11");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '86915304265485'", 1)).isEqualTo(1);
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select device_uid, fix_time, latitude, longitude, event_code, protocol"
                     + " from records where device_uid = '86915304265485'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("86915304265485");
            assertThat(rs.getTimestamp(2).toInstant()).hasToString("2020-02-05T12:18:28Z");
            assertThat(rs.getDouble(3)).isEqualTo(37.9815116);
            assertThat(rs.getDouble(4)).isEqualTo(23.73152);
            assertThat(rs.getString(5)).isEqualTo("4002");
            assertThat(rs.getString(6)).isEqualTo("json");
            assertThat(rs.next()).as("exactly one row").isFalse();
        }
    }

    @Test
    void severalObjectsOnOneConnectionAreAnsweredInOrder() throws Exception {
        StringBuilder payload = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            payload.append(PACKET.replace("86915304265485", "order-dev").replace("12:18:28", "12:18:0" + i));
        }
        payload.append("{\"device_number\":\"order-dev\"}");
        payload.append(PACKET.replace("86915304265485", "order-dev").replace("12:18:28", "12:19:00"));
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), payload.toString(), 7, 5000)).isEqualTo("1111101");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = 'order-dev'", 6)).isEqualTo(6);
    }

    /** Regression: a device that half-closes after writing (nc -N, shutdown(SHUT_WR)) got no reply. */
    @Test
    void aDeviceThatHalfClosesAfterSendingStillGetsItsReplies() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", fc.jsonPort())) {
            s.setSoTimeout(5000);
            String two = PACKET.replace("86915304265485", "half-close") + PACKET.replace("86915304265485", "half-close").replace("12:18:28", "12:18:29");
            s.getOutputStream().write(two.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.shutdownOutput();
            byte[] reply = s.getInputStream().readAllBytes();
            assertThat(new String(reply, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("11");
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid = 'half-close'", 2)).isEqualTo(2);
    }

    @Test
    void invalidPacketIsRefusedAndKept() throws Exception {
        String bad = "{\"device_number\":\"bad-dev\",\"event_code\":\"4002\",\"message_date\":\"yesterday\","
                + "\"latitude\":\"37.9\",\"longitude\":\"23.7\"}";
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), bad, 1, 5000)).isEqualTo("0");
        assertThat(fc.count("select count(*) from records where device_uid = 'bad-dev'")).isZero();
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = 'bad-dev' and reason = 'bad-date'"
                + " and frame_hex like '7b22%'")).isEqualTo(1);
        assertThat(fc.count("select count(*) from devices where device_uid = 'bad-dev'")).as("a refused frame registers no device").isZero();
    }

    @Test
    void twoHundredConcurrentConnectionsGetTwoHundredAcksAndRows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String p = PACKET.replace("86915304265485", "conc-" + i);
                replies.add(pool.submit(() -> RunningFleetcore.exchange(fc.jsonPort(), p, 1, 10000)));
            }
            for (Future<String> r : replies) {
                assertThat(r.get()).isEqualTo("1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid like 'conc-%'", 200)).isEqualTo(200);
    }
}
