package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.CheckRuns;
import io.fleetcore.check.QualityChecker;
import io.fleetcore.check.rules.Rules;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code records} partitioned by month of fix time (migration V7): an existing table converted in place,
 * idempotent inserts and the quality watermark across partitions, partitions created ahead (rows waiting in
 * the default partition move in), and retention of records and of the other growing tables.
 */
class PartitionedRecordsIT {

    Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    Database start(String url) {
        db = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", url, "fleetcore.db.user", "postgres")));
        return db;
    }

    static void insertOld(Connection c, String device, String fixTime, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, speed_kmh, event_code, protocol)
                values (?, ?::timestamptz, ?, 37.98, 23.73, 300, '4002', 'json')""")) {
            ps.setString(1, device);
            ps.setString(2, fixTime);
            ps.setString(3, hash);
            ps.executeUpdate();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String month(YearMonth m) {
        return String.format("records_y%04dm%02d", m.getYear(), m.getMonthValue());
    }

    @Test
    void anExistingTableIsConvertedInPlaceKeepingRowsIdsAndTheNaturalKey() throws Exception {
        String url = TestServices.newDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("5").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            insertOld(c, "old-1", "2025-01-15T10:00:00Z", "a");
            insertOld(c, "old-1", "2025-03-02T10:00:00Z", "b");
            insertOld(c, "old-2", "2025-03-31T23:59:59Z", "c");
            insertOld(c, "old-2", "1970-01-01T00:00:00Z", "garbage-past");
            insertOld(c, "old-2", "2199-12-31T00:00:00Z", "garbage-future");
        }
        start(url);
        assertThat(text("select relkind::text from pg_class where relname = 'records'")).as("partitioned table").isEqualTo("p");
        assertThat(count("select count(*) from records")).isEqualTo(5);
        assertThat(count("select max(id) from records")).as("ids kept").isEqualTo(5);
        assertThat(text("select tableoid::regclass::text from records where content_hash = 'a'")).isEqualTo("records_y2025m01");
        assertThat(text("select tableoid::regclass::text from records where content_hash = 'c'")).isEqualTo("records_y2025m03");
        assertThat(count("select count(*) from records_default")).as("garbage dates").isEqualTo(2);
        assertThat(count("select count(*) from pg_constraint where conname = 'records_natural_key'"
                + " and conrelid = 'records'::regclass and contype = 'u'")).isEqualTo(1);
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        assertThat(new Retention(db.dataSource(), 0, Optional.empty(), Map.of(), Clock.systemUTC()).partitions())
                .contains("records_y2025m01", "records_y2025m03", month(now), month(now.plusMonths(3)));

        // the sequence goes on after the moved rows; a retransmit of a moved row is a conflict
        try (Connection c = db.dataSource().getConnection()) {
            insertOld(c, "old-3", "2025-03-05T00:00:00Z", "d");
            try (Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)"
                        + " values ('old-1', '2025-03-02T10:00:00Z', 'b', 0, 0, 'json')"
                        + " on conflict on constraint records_natural_key do nothing")).isZero();
            }
        }
        assertThat(count("select id from records where content_hash = 'd'")).isEqualTo(6);
    }

    @Test
    void insertsStayIdempotentInEveryPartitionAndTheQualityWatermarkReadsThemAll() throws Exception {
        start(TestServices.newDatabase());
        Instant thisMonth = Instant.now().minusSeconds(600);
        Instant lastYear = thisMonth.minus(Duration.ofDays(400));
        Instant garbage = Instant.parse("1999-06-01T00:00:00Z");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("select records_partition_create('" + lastYear.atZone(ZoneOffset.UTC).toLocalDate() + "')");
        }
        List<DeviceRecord> records = List.of(
                new DeviceRecord("part-1", thisMonth, 37.98, 23.73, null, 300.0, null, null, null, "4002", "json", Map.of(), Map.of()),
                new DeviceRecord("part-1", lastYear, 37.98, 23.73, null, 300.0, null, null, null, "4002", "json", Map.of(), Map.of()),
                new DeviceRecord("part-1", garbage, 37.98, 23.73, null, 300.0, null, null, null, "4002", "json", Map.of(), Map.of()));
        for (InsertMethod method : InsertMethod.values()) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                int inserted = method.insert(c, records.stream().map(StoredRow::of).toList());
                c.commit();
                assertThat(inserted).as(method + " new rows").isEqualTo(method == InsertMethod.BATCH ? 3 : 0);
            }
        }
        assertThat(count("select count(*) from records")).isEqualTo(3);
        assertThat(count("select count(distinct tableoid) from records")).as("partitions hit").isEqualTo(3);
        assertThat(count("select count(*) from records_default")).as("the 1999 fix").isEqualTo(1);

        QualityChecker checker = new QualityChecker(db.dataSource(), Rules.all(), 2, 1_000_000,
                new CheckRuns(db.dataSource(), "test"), new SimpleMeterRegistry());
        QualityChecker.Result first = checker.run(new java.util.Date());
        assertThat(first.examined()).isEqualTo(3);
        // the watermark moves once no transaction of the server (any database) that was running at the previous
        // run is still running: on a shared server that may take a few runs
        QualityChecker.Result later = checker.run(new java.util.Date());
        for (int i = 0; i < 100 && later.checkedTo() < 3; i++) {
            Thread.sleep(100);
            later = checker.run(new java.util.Date());
        }
        assertThat(later.checkedTo()).as("watermark over all partitions").isEqualTo(3);
        assertThat(checker.run(new java.util.Date()).examined()).as("nothing new, nothing read").isZero();
        assertThat(count("select count(distinct record_id) from quality_findings where rule_code = 'speed_too_high'"))
                .as("one finding per record, whatever its partition").isEqualTo(3);
    }

    @Test
    void aPartitionCreatedLaterTakesItsRowsOutOfTheDefaultPartition() throws Exception {
        start(TestServices.newDatabase());
        YearMonth far = YearMonth.now(ZoneOffset.UTC).plusMonths(6);
        String fix = far.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        try (Connection c = db.dataSource().getConnection()) {
            insertOld(c, "ahead-1", fix, "x");
        }
        assertThat(count("select count(*) from records_default")).isEqualTo(1);
        Retention retention = new Retention(db.dataSource(), 7, Optional.empty(), Map.of(), Clock.systemUTC());
        assertThat(retention.createPartitions()).as("months 4 to 7 ahead are new").isEqualTo(4);
        assertThat(retention.createPartitions()).as("idempotent").isZero();
        assertThat(count("select count(*) from records_default")).isZero();
        assertThat(text("select tableoid::regclass::text from records where device_uid = 'ahead-1'")).isEqualTo(month(far));
        assertThat(count("select count(*) from records where device_uid = 'ahead-1'")).isEqualTo(1);
    }

    @Test
    void retentionDropsWholeOldPartitionsAndOldRowsOfTheOtherTables() throws Exception {
        start(TestServices.newDatabase());
        Instant now = Instant.now();
        YearMonth old = YearMonth.now(ZoneOffset.UTC).minusMonths(14);
        YearMonth recent = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("select records_partition_create('" + old.atDay(1) + "')");
            st.execute("select records_partition_create('" + recent.atDay(1) + "')");
            insertOld(c, "ret-1", old.atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant().toString(), "old");
            insertOld(c, "ret-1", recent.atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant().toString(), "recent");
            insertOld(c, "ret-1", "1980-01-01T00:00:00Z", "garbage");
            for (String age : List.of("100 days", "1 day")) {
                st.execute("insert into quality_findings (record_id, device_uid, fix_time, rule_code, detail, found_at)"
                        + " values (" + (age.startsWith("1 ") ? 1 : 2) + ", 'ret-1', now(), 'speed_too_high', 'x', now() - interval '" + age + "')");
                st.execute("insert into rejected_frames (protocol, reason, frame_hex, received_at) values ('json', 'x', '00', now() - interval '" + age + "')");
                st.execute("insert into check_runs (check_name, scheduled_at, instance, ran_at) values ('quality', now() - interval '"
                        + age + "', 'i', now() - interval '" + age + "')");
            }
            // postgres changed long ago and never since: its only row is its current status
            st.execute("insert into service_status (service, status, instance, changed_at) values ('postgres', 'UP', 'i', now() - interval '300 days')");
            st.execute("insert into service_status (service, status, instance, changed_at) values ('rabbitmq', 'DOWN', 'i', now() - interval '200 days')");
            st.execute("insert into service_status (service, status, instance, changed_at) values ('rabbitmq', 'UP', 'i', now() - interval '1 day')");
        }
        Map<Retention.Table, Optional<Duration>> tables = new LinkedHashMap<>();
        Retention.TABLES.forEach(t -> tables.put(t, Optional.of(Duration.ofDays(30))));
        Retention retention = new Retention(db.dataSource(), 3, Optional.of(Duration.ofDays(365)), tables,
                Clock.fixed(now, ZoneOffset.UTC));
        Map<String, Long> removed = retention.purge();
        assertThat(removed).containsEntry("records_partitions", 1L).containsEntry("quality_findings", 1L)
                .containsEntry("rejected_frames", 1L).containsEntry("check_runs", 1L).containsEntry("service_status", 1L);
        assertThat(retention.partitions()).doesNotContain(month(old)).contains(month(recent));
        assertThat(count("select count(*) from records where device_uid = 'ret-1'")).as("recent and garbage kept").isEqualTo(2);
        assertThat(count("select count(*) from records_default")).isEqualTo(1);
        assertThat(count("select count(*) from quality_findings")).isEqualTo(1);
        assertThat(count("select count(*) from rejected_frames")).isEqualTo(1);
        assertThat(count("select count(*) from check_runs")).isEqualTo(1);
        assertThat(count("select count(*) from service_status where service = 'postgres'")).as("current status kept").isEqualTo(1);
        assertThat(count("select count(*) from service_status where service = 'rabbitmq'")).isEqualTo(1);
        assertThat(retention.purge().values()).as("nothing more to remove").allMatch(n -> n == 0);

        Retention off = new Retention(db.dataSource(), 3, Optional.empty(), Map.of(), Clock.fixed(now.plus(Duration.ofDays(9999)), ZoneOffset.UTC));
        assertThat(off.purge()).as("retention off by default").isEmpty();
        assertThat(count("select count(*) from records")).isEqualTo(2);
    }
}
