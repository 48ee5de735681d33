package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code latest_records} (migration V10): one row per device, its newest record by (fix_time, content_hash),
 * kept in the transaction that inserts the records, whatever inserts them; set afresh when retention drops the
 * partition that held it.
 */
class LatestRecordsIT {

    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    Database start(String url) {
        db = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", url, "fleetcore.db.user", "postgres",
                "fleetcore.db.pool-size", "8")));
        return db;
    }

    static DeviceRecord record(String device, long second, double latitude) {
        return new DeviceRecord(device, T0.plusSeconds(second), latitude, 23.7, null, 50.0, 90, 9, 0, "4002", "json",
                Map.of("rpm", 900), Map.of());
    }

    static void store(RecordStore store, List<DeviceRecord> records) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.submit(records, done::complete, Duration.ofSeconds(5));
        assertThat(done.get(30, TimeUnit.SECONDS)).as("stored").isNull();
    }

    /** "fix_time latitude content_hash id xmin n" of the device's latest row (xmin: the version of the row), or null. */
    String latest(String device) throws SQLException {
        return row("select fix_time, latitude::text, content_hash, id, 'xmin ' || xmin from latest_records where device_uid = ?", device);
    }

    /** The newest record of the device in records, in the form of {@link #latest} without the xmin. */
    String newestInRecords(String device) throws SQLException {
        return row("select fix_time, latitude::text, content_hash, id from records where device_uid = ?"
                + " order by fix_time desc, content_hash desc limit 1", device);
    }

    /** The first row of the query, its fix time (column 1) as an instant and every value joined by spaces. */
    String row(String sql, String device) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                StringBuilder row = new StringBuilder(rs.getTimestamp(1).toInstant().toString());
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(' ').append(rs.getString(i));
                }
                return row.toString();
            }
        }
    }

    static String withoutXmin(String latest) {
        return latest == null ? null : latest.substring(0, latest.indexOf(" xmin "));
    }

    @ParameterizedTest
    @EnumSource(InsertMethod.class)
    void theNewestRecordWinsALateOneOrADuplicateNeverReplacesIt(InsertMethod method) throws Exception {
        start(TestServices.newDatabase());
        try (RecordStore store = new RecordStore(db.dataSource(), 1000, Duration.ofMillis(1), 10_000)) {
            store.useInsertMethod(method);
            // one batch, newest not last: the newest of the batch is the latest
            store(store, List.of(record("lr-1", 10, 1), record("lr-1", 30, 3), record("lr-1", 20, 2), record("lr-2", 5, 5)));
            assertThat(withoutXmin(latest("lr-1"))).startsWith(T0.plusSeconds(30) + " 3 ").isEqualTo(newestInRecords("lr-1"));
            assertThat(withoutXmin(latest("lr-2"))).startsWith(T0.plusSeconds(5) + " 5 ");
            String before = latest("lr-1");

            // a late record (stored, older fix time) leaves the latest row as it was: not even updated
            store(store, List.of(record("lr-1", 25, 4)));
            assertThat(latest("lr-1")).isEqualTo(before);
            // a redelivered duplicate of the latest: no new record, the latest row untouched
            store(store, List.of(record("lr-1", 30, 3)));
            assertThat(latest("lr-1")).isEqualTo(before);
            assertThat(count("select count(*) from records where device_uid = 'lr-1'")).isEqualTo(4);

            // a newer one replaces it
            store(store, List.of(record("lr-1", 40, 6)));
            assertThat(withoutXmin(latest("lr-1"))).startsWith(T0.plusSeconds(40) + " 6 ").isEqualTo(newestInRecords("lr-1"));
            // same fix time, other content: the larger content hash is the newest, as in api.latest_positions
            store(store, List.of(record("lr-1", 40, 7)));
            assertThat(withoutXmin(latest("lr-1"))).isEqualTo(newestInRecords("lr-1"));
        }
        assertThat(count("select count(*) from latest_records")).isEqualTo(2);
        assertThat(count("select count(*) from api.latest_positions p join latest_records l"
                + " on l.device_uid = p.device_id and l.id = p.record_id")).isEqualTo(2);
    }

    @Test
    void anInsertOutsideTheStoreKeepsItToo() throws Exception {
        start(TestServices.newDatabase());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol) values"
                    + " ('sql-1', '2026-03-01T00:00:10Z', 'a', 1, 1, 'json'), ('sql-1', '2026-03-01T00:00:30Z', 'b', 3, 1, 'json'),"
                    + " ('sql-2', '2026-03-01T00:00:10Z', 'c', 4, 1, 'json')");
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol) values"
                    + " ('sql-1', '2026-03-01T00:00:20Z', 'd', 2, 1, 'json')");
        }
        assertThat(withoutXmin(latest("sql-1"))).startsWith("2026-03-01T00:00:30Z 3 b").isEqualTo(newestInRecords("sql-1"));
        assertThat(withoutXmin(latest("sql-2"))).isEqualTo(newestInRecords("sql-2"));
    }

    /**
     * Two stores on one database (two fleetcore processes, say) write batches for the same 256 devices at the same
     * time, one listing them in ascending and the other in descending order. Each batch takes two insert statements
     * (pgjdbc rewrites at most 128 rows into one) and each statement takes a while: both statements of both
     * batches overlap, and unless every writer locks the latest rows in device order they deadlock.
     */
    @Test
    void twoWritersOfTheSameDevicesNeitherDeadlockNorLoseTheNewest() throws Exception {
        String url = TestServices.newDatabase();
        start(url);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("create function slow_insert() returns trigger language plpgsql as"
                    + " $$ begin perform pg_sleep(0.3); return null; end $$");
            st.execute("create trigger records_slow after insert on records for each statement execute function slow_insert()");
        }
        int devices = 256;
        try (RecordStore a = new RecordStore(db.dataSource(), 1000, Duration.ofMillis(1), 10_000);
             RecordStore b = new RecordStore(db.dataSource(), 1000, Duration.ofMillis(1), 10_000)) {
            for (int round = 0; round < 3; round++) {
                List<DeviceRecord> up = new ArrayList<>();
                List<DeviceRecord> down = new ArrayList<>();
                for (int d = 0; d < devices; d++) {
                    up.add(record(String.format("tw-%03d", d), 100L * round + 1, round));
                    down.add(record(String.format("tw-%03d", devices - 1 - d), 100L * round + 2, round + 0.5));
                }
                CompletableFuture<Throwable> first = new CompletableFuture<>();
                CompletableFuture<Throwable> second = new CompletableFuture<>();
                a.submit(up, first::complete, Duration.ofSeconds(5));
                b.submit(down, second::complete, Duration.ofSeconds(5));
                assertThat(first.get(60, TimeUnit.SECONDS)).as("round " + round + " ascending batch").isNull();
                assertThat(second.get(60, TimeUnit.SECONDS)).as("round " + round + " descending batch").isNull();
            }
        }
        assertThat(count("select count(*) from records")).isEqualTo(3L * 2 * devices);
        assertThat(count("select count(*) from latest_records")).isEqualTo(devices);
        assertThat(count("select count(*) from latest_records where fix_time = timestamptz '" + T0.plusSeconds(202)
                + "' and latitude = 2.5")).as("every device's newest").isEqualTo(devices);
        // a deadlock is retried once by the store and would go unseen: PostgreSQL counts them (a backend reports
        // its count when it exits, so the pool closes first)
        db.close();
        db = null;
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && scalar(st, "select count(*) from pg_stat_activity"
                    + " where datname = current_database() and pid <> pg_backend_pid()") > 0) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            st.execute("select pg_stat_clear_snapshot()");
            assertThat(scalar(st, "select deadlocks from pg_stat_database where datname = current_database()"))
                    .as("deadlocks").isZero();
        }
    }

    static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Retention drops a month: a device whose records were all in it has no latest row any more (it has no stored
     * position: api.latest_positions leaves it out, api.device_status shows it never seen); one with an older
     * record elsewhere falls back to that; one with a newer record keeps it.
     */
    @Test
    void retentionLeavesTheNewestRecordEachDeviceStillHas() throws Exception {
        start(TestServices.newDatabase());
        YearMonth old = YearMonth.now(ZoneOffset.UTC).minusMonths(14);
        YearMonth recent = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
        String oldDay = old.atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        String recentDay = recent.atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("select records_partition_create('" + old.atDay(1) + "')");
            st.execute("select records_partition_create('" + recent.atDay(1) + "')");
            st.execute("insert into devices (device_uid, protocol) values ('gone', 'json'), ('fallback', 'json'), ('kept', 'json')");
            PartitionedRecordsIT.insertOld(c, "gone", oldDay, "g1");
            PartitionedRecordsIT.insertOld(c, "fallback", "1980-01-01T00:00:00Z", "f0"); // garbage date: records_default
            PartitionedRecordsIT.insertOld(c, "fallback", oldDay, "f1");
            PartitionedRecordsIT.insertOld(c, "kept", oldDay, "k1");
            PartitionedRecordsIT.insertOld(c, "kept", recentDay, "k2");
        }
        assertThat(latest("gone")).contains(" g1 ");
        assertThat(latest("fallback")).contains(" f1 ");
        String kept = latest("kept");
        assertThat(kept).contains(" k2 ");

        Retention retention = new Retention(db.dataSource(), 3, Optional.of(Duration.ofDays(365)), Map.of(),
                Clock.fixed(Instant.now(), ZoneOffset.UTC));
        assertThat(retention.purge()).containsEntry("records_partitions", 1L);

        assertThat(latest("gone")).isNull();
        assertThat(withoutXmin(latest("fallback"))).startsWith("1980-01-01T00:00:00Z").isEqualTo(newestInRecords("fallback"));
        assertThat(latest("kept")).as("untouched").isEqualTo(kept);
        assertThat(count("select count(*) from api.latest_positions")).isEqualTo(2);
        assertThat(count("select count(*) from api.device_status where device_id = 'gone' and last_seen is null")).isEqualTo(1);
    }

    /**
     * A page after a cursor reads that page's rows of latest_records and no more, in both views: joined plainly
     * to devices, the planner merged the two keys and scanned one of them from its start up to the cursor (at
     * 100,000 devices, a page after the middle read 51,000 rows).
     */
    @Test
    void aPageAfterACursorReadsOnlyItsOwnRows() throws Exception {
        start(TestServices.newDatabase());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol) select 'p-' || lpad(i::text, 5, '0'), 'json'"
                    + " from generate_series(0, 19999) i");
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)"
                    + " select 'p-' || lpad(i::text, 5, '0'), timestamptz '2026-03-01 00:00:00+00', md5(i::text), 1, 1, 'json'"
                    + " from generate_series(0, 19999) i");
            st.execute("analyze devices");
            st.execute("analyze latest_records");
            for (String view : List.of("api.latest_positions", "api.device_status")) {
                String plan;
                try (ResultSet rs = st.executeQuery("explain (analyze, format json) select to_json(v)::text, v.device_id"
                        + " from " + view + " v where v.device_id > 'p-15000' order by v.device_id limit 100")) {
                    rs.next();
                    plan = rs.getString(1);
                }
                JsonNode root = new ObjectMapper().readTree(plan);
                assertThat(rowsRead(root.get(0).get("Plan"), "latest_records")).as(view + ": rows of latest_records read")
                        .isBetween(100L, 101L);
            }
        }
    }

    /** Rows that the plan's scans of the table returned, over all their loops. */
    static long rowsRead(JsonNode node, String table) {
        long rows = table.equals(node.path("Relation Name").asText())
                ? node.get("Actual Rows").asLong() * node.get("Actual Loops").asLong() : 0;
        for (JsonNode child : node.path("Plans")) {
            rows += rowsRead(child, table);
        }
        return rows;
    }

    /** Migration V10 fills the table from the records already stored. */
    @Test
    void theMigrationFillsItFromTheStoredRecords() throws Exception {
        String url = TestServices.newDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("9").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol) values ('m-1', 'json'), ('m-2', 'json'), ('m-3', 'json')");
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol) values"
                    + " ('m-1', '2026-03-01T00:00:10Z', 'a', 1, 1, 'json'), ('m-1', '2026-03-01T00:00:30Z', 'b', 3, 1, 'json'),"
                    + " ('m-1', '2026-03-01T00:00:30Z', 'a', 2, 1, 'json'), ('m-2', '2026-03-01T00:00:10Z', 'c', 4, 1, 'json'),"
                    + " ('unregistered', '2026-03-01T00:00:10Z', 'e', 5, 1, 'json')");
        }
        start(url);
        assertThat(withoutXmin(latest("m-1"))).startsWith("2026-03-01T00:00:30Z 3 b").isEqualTo(newestInRecords("m-1"));
        assertThat(withoutXmin(latest("m-2"))).isEqualTo(newestInRecords("m-2"));
        assertThat(withoutXmin(latest("unregistered"))).isEqualTo(newestInRecords("unregistered"));
        assertThat(latest("m-3")).isNull();
        assertThat(count("select count(*) from api.latest_positions")).as("registered devices with a record").isEqualTo(2);
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            return scalar(st, sql);
        }
    }
}
