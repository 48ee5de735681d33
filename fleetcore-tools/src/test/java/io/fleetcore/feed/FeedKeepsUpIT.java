package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import io.fleetcore.sim.FeedWatch;
import io.fleetcore.sim.Simulator;
import io.fleetcore.store.RecordJson;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The records feed keeps up with ingest at the machine's full speed: simulated Teltonika devices send as fast as
 * fleetcore ACKs for {@link #LOAD} while the default feed publishes to the real RabbitMQ. The feed forwards at
 * the rate ingest stores, has no rows left shortly after the load stops, and the bound queue holds every stored
 * record exactly once, each device's in id order. A load test (about 90 s; {@code slow}, run by {@code ./mvnw verify -Pfull}):
 * on a machine so busy that ingest itself crawls, the feed's share of the CPU is what it measures.
 */
@Tag("slow")
class FeedKeepsUpIT {

    /** How long ingest runs at full speed ({@code -Dfleetcore.it.feed-load-s=60} for a longer proof). */
    static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("fleetcore.it.feed-load-s", 15));
    static final Duration WARM_UP = Duration.ofSeconds(5);
    /** After the load stops, the feed has delivered everything within this. */
    static final double CATCH_UP_S = Double.parseDouble(System.getProperty("fleetcore.it.feed-catch-up-s", "2.0"));
    /** During the load the feed forwards at least this share of the rows ingest stored. */
    static final double MIN_RATIO = Double.parseDouble(System.getProperty("fleetcore.it.feed-min-ratio", "0.9"));

    @Test
    void theRecordsFeedKeepsUpWithFullSpeedIngestAndDeliversEveryRecordOnceInDeviceOrder() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            String queue = FeedDeliveryIT.bind(fc.setting("fleetcore.feed.records.exchange"), "#");
            try {
                runLoadAndCheck(fc, queue);
            } finally {
                deleteQueue(queue); // a failed run leaves no queue of thousands of messages on the shared broker
            }
        }
    }

    /** Warm-up, the measured load, then the figures and the queue checked. */
    void runLoadAndCheck(RunningFleetcore fc, String queue) throws Exception {
        // warm up (JIT, connections, partitions) so that the measured run is at the machine's full speed
        new Simulator(new Simulator.Settings("127.0.0.1", fc.teltonikaPort(), Simulator.Protocol.TELTONIKA,
                200, 10, 0, WARM_UP, 0, Path.of("target", "it-ledgers", "feed-warm-up-" + System.nanoTime() + ".csv"),
                Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ZERO, true, 1, Duration.ofSeconds(5)),
                System.out).run();
        fc.awaitCount("select count(*) from feed_cursors where feed = 'records' and position = (select max(id) from records)", 1);

        Path ledger = Path.of("target", "it-ledgers", "feed-keeps-up-" + System.nanoTime() + ".csv");
        Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.teltonikaPort(),
                Simulator.Protocol.TELTONIKA, 200, 10, 0, LOAD, 0, ledger, Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ZERO, true, 1, Duration.ofSeconds(5));

        FeedWatch watch = FeedWatch.start(fc.server().runtime().database().dataSource(), "records",
                Duration.ofMillis(250));
        Simulator.Result ingest = new Simulator(settings, System.out).run();
        Map<String, Object> feed = watch.finish(Duration.ofSeconds(60));
        System.out.println("ingest: " + ingest.summary());
        System.out.println("feed records: " + feed);

        assertThat(ingest.drained()).isTrue();
        assertThat(ingest.acked()).as("ingest ran").isGreaterThan(LOAD.toSeconds() * 50);
        long stored = fc.count("select count(*) from records");
        assertThat(feed.get("caught_up")).as("the feed caught up: " + feed).isEqualTo(true);
        assertThat(((Number) feed.get("catch_up_s")).doubleValue())
                .as("lag 0 within %s s after the load stopped: %s", CATCH_UP_S, feed).isLessThanOrEqualTo(CATCH_UP_S);
        assertThat(((Number) feed.get("forwarded_per_s")).doubleValue())
                .as("forwarded at the rate ingest stored: %s", feed)
                .isGreaterThanOrEqualTo(MIN_RATIO * ((Number) feed.get("stored_per_s")).doubleValue());

        List<Long> ids = new ArrayList<>();
        try (var c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from records order by id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        assertThat(ids).hasSize((int) stored);
        Map<String, List<Long>> byDevice = consume(queue, ids.size());
        List<Long> forwarded = new ArrayList<>();
        byDevice.forEach((device, got) -> {
            assertThat(got).as("device %s: its records in id order", device).isSorted();
            forwarded.addAll(got);
        });
        Collections.sort(forwarded);
        assertThat(forwarded).as("every stored record once").isEqualTo(ids);
    }

    static void deleteQueue(String queue) {
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
        } catch (Exception e) {
            // already deleted by consume
        }
    }

    /**
     * The record ids the messages in {@code queue} carry, per device in queue order; waits for {@code expected}
     * records.
     */
    static Map<String, List<Long>> consume(String queue, int expected) throws Exception {
        Map<String, List<Long>> got = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.basicQos(2000);
            DeliverCallback deliver = (tag, m) -> {
                for (var r : RecordMessages.records(RecordJson.MAPPER.readTree(m.getBody()))) {
                    got.computeIfAbsent(r.path("device_uid").asText(), d -> new ArrayList<>()).add(r.path("id").asLong());
                    count.incrementAndGet();
                }
                ch.basicAck(m.getEnvelope().getDeliveryTag(), false);
            };
            String tag = ch.basicConsume(queue, false, deliver, t -> { });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count.get() < expected && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            ch.basicCancel(tag);
            // anything beyond the expected count (a duplicate) arrives right behind it
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return got;
    }
}
