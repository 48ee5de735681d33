package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's guarantees against a real PostgreSQL: at least once and in id order, a failed or killed batch comes
 * again, a row that commits late is not skipped, two instances never deliver one feed at the same time, and
 * {@code reset} replays by storage time.
 */
class FeedIT {

    Database db;

    @BeforeEach
    void start() {
        db = TestServices.newMigratedDatabase();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    /** Inserts {@code n} records of {@code device} in one committed transaction. */
    void insert(String device, int n) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            insert(c, device, n);
        }
    }

    static void insert(Connection c, String device, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol, obd)
                select ?, now() - g * interval '1 second', md5(random()::text), 37.9, 23.7, 'json', '{"rpm": 800}'
                from generate_series(1, ?) g""")) {
            ps.setString(1, device);
            ps.setInt(2, n);
            ps.executeUpdate();
        }
    }

    List<Long> ids() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from records order by id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static List<Long> idsOf(List<FeedItem> items) {
        return items.stream().map(FeedItem::id).toList();
    }

    /** Delivers until the feed has nothing new; returns what was delivered. */
    static List<Long> drain(Feed feed) throws Exception {
        List<Long> delivered = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = feed.deliverNext(items -> delivered.addAll(idsOf(items)));
            if (n == 0 && i > 1) {
                break;
            }
        }
        return delivered;
    }

    @Test
    void everyRecordIsDeliveredOnceInIdOrderAsVersionedJsonWithItsNaturalKey() throws Exception {
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 7);
        insert("dev-a", 10);
        insert("dev-b", 10);
        List<FeedItem> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            feed.deliverNext(seen::addAll);
        }
        assertThat(idsOf(seen)).isEqualTo(ids());
        FeedItem first = seen.get(0);
        assertThat(first.key()).isEqualTo("json.dev-a");
        assertThat(first.device()).isEqualTo("dev-a");
        var json = io.fleetcore.store.RecordJson.MAPPER.readTree(first.json());
        assertThat(json.path("version").asInt()).isEqualTo(1);
        assertThat(json.path("id").asLong()).isEqualTo(first.id());
        assertThat(json.path("device_uid").asText()).isEqualTo("dev-a");
        assertThat(json.path("content_hash").asText()).hasSize(32);
        assertThat(Instant.parse(json.path("fix_time").asText())).isBefore(Instant.now());
        assertThat(json.path("obd").path("rpm").asInt()).isEqualTo(800);
        assertThat(json.path("io").isObject()).isTrue();

        Feed.Status status = feed.status();
        assertThat(status.position()).isEqualTo(ids().get(19));
        assertThat(status.delivered()).isEqualTo(20);
        assertThat(status.lagRecords()).isZero();
    }

    /**
     * The query writes the message: every field of layout 1 in its order, strings escaped, times exactly as
     * {@link Instant#toString()} writes them (no fraction, 3 or 6 digits), numbers by value, absent values null,
     * {@code obd} and {@code io} as stored.
     */
    @Test
    void theMessageCarriesEveryColumnInLayoutOneWithTimesAsInstantWritesThem() throws Exception {
        String device = "dev \"q\" \u00fc\\ \u20ac";
        Instant fixWhole = Instant.parse("2026-11-01T10:00:00Z");
        Instant storedMillis = Instant.parse("2026-11-01T10:00:01.120Z");
        Instant fixMicros = Instant.parse("2026-11-01T10:00:02.000123Z");
        Instant storedMicros = Instant.parse("2026-11-01T10:00:03.100200Z");
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh,
                                     angle, satellites, priority, event_code, protocol, obd, io, received_at)
                values (?, ?, 'aaaabbbbccccddddeeeeffff00001111', 37.9815116, -23.5, 120.5, 40.0, 359, 9, 1,
                        e'ev\\n"1"', 'teltonika', '{"rpm": 800, "dtcs": ["P0301"]}', '{"66": 12345}', ?),
                       (?, ?, 'aaaabbbbccccddddeeeeffff00002222', 0, 180, null, null, null, null, null,
                        null, 'gt06', '{}', '{}', ?)""")) {
            ps.setString(1, device);
            ps.setTimestamp(2, java.sql.Timestamp.from(fixWhole));
            ps.setTimestamp(3, java.sql.Timestamp.from(storedMillis));
            ps.setString(4, device);
            ps.setTimestamp(5, java.sql.Timestamp.from(fixMicros));
            ps.setTimestamp(6, java.sql.Timestamp.from(storedMicros));
            ps.executeUpdate();
        }
        List<FeedItem> seen = new ArrayList<>();
        new Feed(db.dataSource(), "records", FeedSource.RECORDS, 10).deliverNext(seen::addAll);
        assertThat(seen).hasSize(2);

        var full = io.fleetcore.store.RecordJson.MAPPER.readTree(seen.get(0).body());
        List<String> fields = new ArrayList<>();
        full.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("version", "id", "device_uid", "fix_time", "content_hash", "protocol",
                "latitude", "longitude", "altitude", "speed_kmh", "angle", "satellites", "priority", "event_code", "obd",
                "io", "received_at");
        assertThat(seen.get(0).key()).isEqualTo("teltonika." + device);
        assertThat(seen.get(0).device()).isEqualTo(device);
        assertThat(seen.get(0).stored()).isEqualTo(storedMillis);
        assertThat(full.get("version").asInt()).isEqualTo(FeedSource.VERSION);
        assertThat(full.get("id").asLong()).isEqualTo(seen.get(0).id());
        assertThat(full.get("device_uid").asText()).isEqualTo(device);
        assertThat(full.get("fix_time").asText()).isEqualTo(fixWhole.toString()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(full.get("content_hash").asText()).isEqualTo("aaaabbbbccccddddeeeeffff00001111");
        assertThat(full.get("protocol").asText()).isEqualTo("teltonika");
        assertThat(full.get("latitude").asDouble()).isEqualTo(37.9815116);
        assertThat(full.get("longitude").asDouble()).isEqualTo(-23.5);
        assertThat(full.get("altitude").asDouble()).isEqualTo(120.5);
        assertThat(full.get("speed_kmh").asDouble()).isEqualTo(40.0);
        assertThat(full.get("angle").asInt()).isEqualTo(359);
        assertThat(full.get("satellites").asInt()).isEqualTo(9);
        assertThat(full.get("priority").asInt()).isEqualTo(1);
        assertThat(full.get("event_code").asText()).isEqualTo("ev\n\"1\"");
        assertThat(full.get("obd")).isEqualTo(io.fleetcore.store.RecordJson.MAPPER.readTree("{\"rpm\": 800, \"dtcs\": [\"P0301\"]}"));
        assertThat(full.get("io")).isEqualTo(io.fleetcore.store.RecordJson.MAPPER.readTree("{\"66\": 12345}"));
        assertThat(full.get("received_at").asText()).isEqualTo(storedMillis.toString()).isEqualTo("2026-11-01T10:00:01.120Z");
        assertThat(seen.get(0).json()).isEqualTo(new String(seen.get(0).body(), java.nio.charset.StandardCharsets.UTF_8));

        var sparse = io.fleetcore.store.RecordJson.MAPPER.readTree(seen.get(1).json());
        assertThat(sparse.size()).isEqualTo(17);
        for (String absent : List.of("altitude", "speed_kmh", "angle", "satellites", "priority", "event_code")) {
            assertThat(sparse.get(absent).isNull()).as(absent).isTrue();
        }
        assertThat(sparse.get("latitude").asDouble()).isZero();
        assertThat(sparse.get("longitude").asDouble()).isEqualTo(180.0);
        assertThat(sparse.get("fix_time").asText()).isEqualTo(fixMicros.toString()).isEqualTo("2026-11-01T10:00:02.000123Z");
        assertThat(sparse.get("received_at").asText()).isEqualTo(storedMicros.toString()).isEqualTo("2026-11-01T10:00:03.100200Z");
        assertThat(sparse.get("obd").isObject() && sparse.get("obd").isEmpty()).isTrue();

        // layout 2 (what the records route publishes): one message per routing key, each record layout 1 minus version
        List<FeedItem> messages = RecordMessages.byDevice(seen, 1000);
        assertThat(messages).extracting(FeedItem::key).containsExactly("teltonika." + device, "gt06." + device);
        var grouped = io.fleetcore.store.RecordJson.MAPPER.readTree(messages.get(0).body());
        assertThat(grouped.get("version").asInt()).isEqualTo(RecordMessages.VERSION);
        assertThat(grouped.get("device_uid").asText()).isEqualTo(device);
        assertThat(grouped.get("count").asInt()).isEqualTo(1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) full).remove("version");
        assertThat(grouped.get("records").get(0)).isEqualTo(full);
    }

    @Test
    void aFailedBatchLeavesTheCursorAndIsDeliveredAgainWholeAndInOrder() throws Exception {
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 100);
        insert("dev", 30);
        List<Long> partial = new ArrayList<>();
        assertThatThrownBy(() -> feed.deliverNext(items -> {
            partial.addAll(idsOf(items.subList(0, 10))); // the destination took some, then failed
            throw new IllegalStateException("destination down");
        })).hasMessage("destination down");
        assertThat(feed.status().position()).isZero();
        assertThat(feed.status().lastError()).isEqualTo("destination down");
        assertThat(feed.status().lagRecords()).isEqualTo(30);

        List<Long> delivered = drain(feed);
        assertThat(delivered).isEqualTo(ids());
        assertThat(delivered.subList(0, 10)).isEqualTo(partial);
        assertThat(feed.status().lastError()).isNull();
    }

    @Test
    void aDeliveryWhoseProcessDiesMidBatchIsDeliveredAgainByTheNextInstance() throws Exception {
        Feed dying = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 100);
        Feed next = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 100);
        insert("dev", 25);
        List<Long> beforeDeath = new ArrayList<>();
        // what kill -9 does to the database side: the instance's connection vanishes while it holds the batch
        assertThatThrownBy(() -> dying.deliverNext(items -> {
            beforeDeath.addAll(idsOf(items));
            terminateLockHolder();
        })).isInstanceOf(SQLException.class);
        assertThat(beforeDeath).hasSize(25);
        List<Long> after = drain(next);
        assertThat(after).as("re-delivered, never skipped").isEqualTo(ids());
    }

    void terminateLockHolder() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_terminate_backend(pid) from pg_locks"
                     + " where locktype = 'advisory' and classid = " + Feed.LOCK_CLASS + " and granted")) {
            assertThat(rs.next()).as("a backend holds the feed's lock").isTrue();
        }
    }

    @Test
    void aRowThatCommitsAfterHigherIdsIsNotSkipped() throws Exception {
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 1000);
        List<Long> delivered = new ArrayList<>();
        try (Connection late = db.dataSource().getConnection()) {
            late.setAutoCommit(false);
            insert(late, "late", 1); // draws the lower id, commits last
            insert("early", 3);
            for (int i = 0; i < 5; i++) {
                feed.deliverNext(items -> delivered.addAll(idsOf(items)));
            }
            assertThat(delivered).as("nothing past the open transaction's id yet").isEmpty();
            late.commit();
        }
        delivered.addAll(drain(feed));
        assertThat(delivered).isEqualTo(ids()).hasSize(4);
    }

    @Test
    void aFeedThatIsBehindNotesTheNextHorizonWhileItDeliversSoItNeverWaitsForOne() throws Exception {
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 4);
        insert("dev", 10);
        List<Long> delivered = new ArrayList<>();
        feed.deliverNext(items -> delivered.addAll(idsOf(items)));
        assertThat(delivered).hasSize(4);
        insert("dev", 10); // ingest goes on while the feed is behind its horizon
        feed.deliverNext(items -> delivered.addAll(idsOf(items)));
        assertThat(delivered).isEqualTo(ids().subList(0, 8));
        assertThat(horizonId()).as("the horizon already covers the rows stored while the feed was behind")
                .isEqualTo(ids().get(19));
        for (int i = 0; i < 3; i++) {
            assertThat(feed.deliverNext(items -> delivered.addAll(idsOf(items)))).as("a full batch each time").isEqualTo(4);
        }
        assertThat(delivered).isEqualTo(ids());
    }

    long horizonId() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select horizon_id from feed_cursors where feed = 'records'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twoInstancesNeverDeliverTheSameFeedAtTheSameTime() throws Exception {
        insert("dev", 500);
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<Long> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger busy = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 20);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        int n = feed.deliverNext(items -> {
                            if (inside.incrementAndGet() > 1) {
                                overlapped.set(true);
                            }
                            delivered.addAll(idsOf(items));
                            Thread.sleep(5);
                            inside.decrementAndGet();
                        });
                        if (n == Feed.BUSY) {
                            busy.incrementAndGet();
                        }
                        if (i == 30) {
                            insert("dev", 100);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlapped).as("two deliveries at once").isFalse();
        assertThat(busy.get()).as("the instances did meet").isPositive();
        delivered.addAll(drain(new Feed(db.dataSource(), "records", FeedSource.RECORDS, 1000)));
        assertThat(delivered).as("every row once, in order").isEqualTo(ids()).hasSize(700);
    }

    @Test
    void resetReplaysFromStorageTime() throws Exception {
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 1000);
        insert("old", 5);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update records set received_at = '2026-10-01T00:00:00Z'");
        }
        insert("new", 3);
        assertThat(drain(feed)).hasSize(8);
        long position;
        try (Connection c = db.dataSource().getConnection()) {
            position = Feed.reset(c, "records", Instant.parse("2026-11-01T00:00:00Z"));
        }
        assertThat(position).isEqualTo(ids().get(4));
        assertThat(feed.status().lagRecords()).isEqualTo(3);
        assertThat(drain(feed)).isEqualTo(ids().subList(5, 8));
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> Feed.reset(c, "nope", Instant.now())).hasMessageContaining("no feed named 'nope'");
        }
        assertThat(Collections.frequency(ids(), ids().get(0))).isOne();
    }
}
