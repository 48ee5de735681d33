package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.fleetcore.store.RecordJson;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the real jar while its records feed works off a backlog of 300 records in batches of 5, back to
 * back (so a batch is in flight at almost any moment): after a restart every stored record reaches the exchange,
 * none is skipped; what the killed process had published but not yet moved its cursor past comes again
 * (counted, allowed).
 */
@Tag("slow")
class FeedKillIT {

    @Test
    void killMinus9MidBatchSkipsNothing() throws Exception {
        String db = TestServices.newDatabase();
        int jsonPort = TestServices.freePort();
        String exchange = TestServices.unique("fleetcore.records");
        String queue = TestServices.unique("feed-kill");
        Map<String, String> env = new HashMap<>();
        env.put("FLEETCORE_DB_URL", db);
        env.put("FLEETCORE_DB_USER", "postgres");
        env.put("FLEETCORE_AMQP_URI", TestServices.amqpUri());
        env.put("FLEETCORE_AMQP_EXCHANGE", TestServices.unique("fleetcore"));
        env.put("FLEETCORE_AMQP_RETRY_QUEUE", TestServices.unique("fleetcore.retry"));
        env.put("FLEETCORE_AMQP_PARKED_QUEUE", TestServices.unique("fleetcore.parked"));
        env.put("FLEETCORE_FEED_RECORDS_EXCHANGE", exchange);
        env.put("FLEETCORE_FEED_EVENTS_EXCHANGE", TestServices.unique("fleetcore.events"));
        env.put("FLEETCORE_FEED_BATCH_SIZE", "5");
        env.put("FLEETCORE_BIND_HOST", "127.0.0.1");
        env.put("FLEETCORE_JSON_PORT", String.valueOf(jsonPort));
        env.put("FLEETCORE_MANAGEMENT_PORT", String.valueOf(TestServices.freePort()));
        env.put("FLEETCORE_DATA_DIR", Path.of(TestServices.buildDir(), TestServices.unique("data-feed-kill")).toString());
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueDeclare(queue, true, false, false, Map.of());
            ch.queueBind(queue, exchange, "#");
        }
        Path logs = Path.of(TestServices.buildDir(), "feed-kill");
        try {
            // a backlog first: 300 records stored while the records feed is off
            Map<String, String> feedOff = new HashMap<>(env);
            feedOff.put("FLEETCORE_FEED_RECORDS_ENABLED", "false");
            try (JarProcess fc = JarProcess.start(List.of(), feedOff, logs.resolve(TestServices.unique("ingest") + ".log"))) {
                fc.awaitPort(jsonPort, Duration.ofSeconds(120));
                for (int i = 0; i < 300; i++) {
                    assertThat(RunningFleetcore.exchange(jsonPort, FeedDeliveryIT.packet("kill-" + (i % 10), i % 60)
                            .replace("10:00:", "10:" + String.format("%02d", i / 60) + ":"), 1, 10_000)).isEqualTo("1");
                }
                assertThat(fc.terminate(Duration.ofSeconds(60))).isZero();
            }
            assertThat(TestBroker.ready(queue)).isZero();
            // the feed works off the backlog in batches of 5, back to back: killed while it does
            try (JarProcess fc = JarProcess.start(List.of(), env, logs.resolve(TestServices.unique("killed") + ".log"))) {
                fc.awaitPort(jsonPort, Duration.ofSeconds(120));
                FeedDeliveryIT.await(Duration.ofSeconds(60), "the feed is publishing the backlog",
                        () -> TestBroker.ready(queue) >= 20);
                fc.process().destroyForcibly().waitFor();
            }
            long beforeRestart = TestBroker.ready(queue);
            try (JarProcess fc = JarProcess.start(List.of(), env, logs.resolve(TestServices.unique("second") + ".log"))) {
                fc.awaitPort(jsonPort, Duration.ofSeconds(120));
                FeedDeliveryIT.await(Duration.ofSeconds(120), "every stored record forwarded after the restart",
                        () -> forwardedIds(queue, false).containsAll(storedIds(db)));
            }
            Set<Long> stored = storedIds(db);
            assertThat(stored).hasSize(300);
            assertThat(beforeRestart).as("killed mid-backlog").isLessThan(300);
            List<Long> forwarded = forwardedList(queue, true);
            assertThat(new HashSet<>(forwarded)).as("forwarded ⊇ stored").containsAll(stored);
            System.out.printf("feed kill -9: %d message(s) published before the kill, %d record(s) forwarded for %d stored after restart%n",
                    beforeRestart, forwarded.size(), stored.size());
        } finally {
            TestBroker.deleteExchanges(exchange);
        }
    }

    static Set<Long> storedIds(String db) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from records")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static Set<Long> forwardedIds(String queue, boolean take) throws Exception {
        return new HashSet<>(forwardedList(queue, take));
    }

    /** Record ids the messages on the queue carry, one per record; {@code take}: ack them (and delete the queue), else requeue. */
    static List<Long> forwardedList(String queue, boolean take) throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, take)) != null) {
                ids.addAll(RecordMessages.recordIds(r.getBody()));
            }
            if (take) {
                ch.queueDelete(queue);
            }
        }
        return ids;
    }
}
