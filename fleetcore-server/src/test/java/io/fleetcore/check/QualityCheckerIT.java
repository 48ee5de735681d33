package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.rules.Rules;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quality check against a real PostgreSQL, without Camel: chunks, watermark, late commits, idempotence. */
class QualityCheckerIT {

    Database db;

    @BeforeEach
    void database() {
        db = TestServices.newMigratedDatabase();
    }

    @AfterEach
    void close() {
        db.close();
    }

    QualityChecker checker(int chunk, long maxPerRun) {
        return new QualityChecker(db.dataSource(), Rules.all(), chunk, maxPerRun, new CheckRuns(db.dataSource(), "test"),
                new SimpleMeterRegistry());
    }

    static void insert(Connection c, String device, int second, double lat, double lon) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, event_code, protocol)
                values (?, ?, ?, ?, ?, '4002', 'json')""")) {
            ps.setString(1, device);
            ps.setTimestamp(2, Timestamp.from(Instant.now().minusSeconds(3600 - second)));
            ps.setString(3, device + "-" + second);
            ps.setDouble(4, lat);
            ps.setDouble(5, lon);
            ps.executeUpdate();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aBacklogIsReadInChunksAndFindingsAreNotRepeated() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < 10; i++) {
                // every third fix far apart in space but not time would be a jump: keep them close
                insert(c, "backlog", i * 60, i == 4 ? 120 : 37.98, i == 7 ? 200 : 23.73);
            }
        }
        QualityChecker checker = checker(3, 1_000_000);
        QualityChecker.Result first = checker.run(new java.util.Date());
        assertThat(first.examined()).isEqualTo(10);
        assertThat(first.newFindings()).isEqualTo(2);
        QualityChecker.Result second = checker.run(new java.util.Date());
        assertThat(second.newFindings()).as("re-reading is harmless").isZero();
        assertThat(second.checkedTo()).as("watermark caught up once no transaction was in flight").isEqualTo(10);
        QualityChecker.Result third = checker.run(new java.util.Date());
        assertThat(third.examined()).as("nothing new, nothing read").isZero();
        assertThat(count("select count(*) from quality_findings where rule_code = 'coordinates_out_of_range'")).isEqualTo(2);
        assertThat(count("select count(*) from records")).isEqualTo(10);
    }

    @Test
    void aRecordWhoseTransactionCommitsLateWithALowerIdIsStillChecked() throws Exception {
        QualityChecker checker = checker(100, 1_000_000);
        try (Connection slow = db.dataSource().getConnection(); Connection fast = db.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            insert(slow, "late", 0, 120, 23.73);      // draws id 1, not committed yet
            insert(fast, "early", 60, 37.98, 200);     // id 2, committed
            QualityChecker.Result whileOpen = checker.run(new java.util.Date());
            assertThat(whileOpen.newFindings()).isEqualTo(1);
            QualityChecker.Result again = checker.run(new java.util.Date());
            assertThat(again.checkedTo()).as("watermark held below the open transaction's id").isZero();
            slow.commit();
        }
        QualityChecker.Result afterCommit = checker.run(new java.util.Date());
        assertThat(afterCommit.newFindings()).isEqualTo(1);
        assertThat(count("select count(*) from quality_findings f join records r on r.id = f.record_id"
                + " where r.device_uid = 'late' and f.rule_code = 'coordinates_out_of_range'")).isEqualTo(1);
        checker.run(new java.util.Date());
        assertThat(checker.run(new java.util.Date()).checkedTo()).isEqualTo(2);
    }

    /**
     * Below the last horizon a run reads again only the ids the previous run did not see: the late row, not the
     * twenty that were there (the transaction-age filter read all of them again, as their transactions were
     * newer than the late one).
     */
    @Test
    void aRunReadsAgainOnlyTheIdsThePreviousRunDidNotSee() throws Exception {
        QualityChecker checker = checker(100, 1_000_000);
        try (Connection slow = db.dataSource().getConnection(); Connection fast = db.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            io.fleetcore.store.Horizon.claimTransactionId(slow);
            insert(slow, "late", 0, 120, 23.73);      // draws id 1, not committed yet
            for (int i = 1; i <= 20; i++) {
                insert(fast, "early", i * 60, 37.98, 23.73);
            }
            assertThat(checker.run(new java.util.Date()).examined()).isEqualTo(20);
            assertThat(lateGaps()).isEqualTo("{1,1}");
            slow.commit();
        }
        QualityChecker.Result afterCommit = checker.run(new java.util.Date());
        assertThat(afterCommit.examined()).as("only the id it had not seen").isEqualTo(1);
        assertThat(afterCommit.newFindings()).isEqualTo(1);
        assertThat(checker.run(new java.util.Date()).checkedTo()).isEqualTo(21);
    }

    /**
     * More gaps than are kept (ids burnt, here written out of the sequence): none are kept and the next run
     * falls back to the transaction-age filter, which still finds the late row.
     */
    @Test
    void withTooManyGapsALateRowIsStillFoundByTheAgeFilter() throws Exception {
        QualityChecker checker = checker(5000, 1_000_000);
        try (Connection slow = db.dataSource().getConnection(); Connection fast = db.dataSource().getConnection();
             Statement st = fast.createStatement()) {
            slow.setAutoCommit(false);
            io.fleetcore.store.Horizon.claimTransactionId(slow);
            try (Statement late = slow.createStatement()) {
                late.execute("""
                        insert into records (id, device_uid, fix_time, content_hash, latitude, longitude, protocol)
                        values (3, 'late', now() - interval '1 hour', 'late', 120, 23.73, 'json')""");
            }
            st.execute("""
                    insert into records (id, device_uid, fix_time, content_hash, latitude, longitude, protocol)
                    select 2 * i, 'sparse', now() - interval '1 hour' + i * interval '1 second', 'h' || i, 37.98, 23.73, 'json'
                    from generate_series(1, %d) i""".formatted(QualityChecker.Gaps.MAX + 1));
            assertThat(checker.run(new java.util.Date()).examined()).isEqualTo(QualityChecker.Gaps.MAX + 1);
            assertThat(lateGaps()).as("too many to keep").isNull();
            slow.commit();
        }
        QualityChecker.Result afterCommit = checker.run(new java.util.Date());
        assertThat(afterCommit.newFindings()).isEqualTo(1);
        assertThat(count("select count(*) from quality_findings f join records r on r.id = f.record_id"
                + " where r.device_uid = 'late' and f.rule_code = 'coordinates_out_of_range'")).isEqualTo(1);
    }

    String lateGaps() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select late_gaps::text from check_watermarks where check_name = 'quality'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aRunStopsAtItsLimitAndTheNextOneContinues() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < 10; i++) {
                insert(c, "limited", i * 60, i == 9 ? 120 : 37.98, 23.73);
            }
        }
        QualityChecker checker = checker(3, 4);
        QualityChecker.Result first = checker.run(new java.util.Date());
        assertThat(first.examined()).isEqualTo(6);
        assertThat(first.scannedTo()).isEqualTo(6);
        assertThat(first.newFindings()).isZero();
        QualityChecker.Result second = checker.run(new java.util.Date());
        assertThat(second.newFindings()).isEqualTo(1);
        assertThat(second.scannedTo()).isEqualTo(10);
    }

    /**
     * Issue 13: a shutdown stops a run between chunks (it used to hold the JVM for the whole backlog); its
     * progress is saved, and the next start (a new checker) resumes there instead of examining it all again.
     */
    @Test
    void aStoppedRunKeepsItsProgressAndTheNextStartResumesThere() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < 30; i++) {
                insert(c, "stopped", i * 60, i % 10 == 9 ? 120 : 37.98, 23.73);
            }
        }
        // the server is shared: wait until no transaction that began before these inserts is still open
        for (int i = 0; i < 600 && count("""
                select count(*) from records
                where age(xmin) <= age((pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text::xid)""") > 0; i++) {
            Thread.sleep(50);
        }
        QualityChecker[] running = new QualityChecker[1];
        QualityRule shutdownAtRecord8 = new QualityRule() {
            @Override
            public String code() {
                return "coordinates_out_of_range";
            }

            @Override
            public java.util.Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
                if (r.id() == 8) {
                    running[0].stop(); // SIGTERM while the chunk of ids 6..10 is examined
                }
                return new io.fleetcore.check.rules.CoordinatesRangeRule().check(r, settings, context);
            }
        };
        running[0] = new QualityChecker(db.dataSource(), java.util.List.of(shutdownAtRecord8), 5, 1_000_000,
                new CheckRuns(db.dataSource(), "test"), new SimpleMeterRegistry());
        QualityChecker.Result stopped = running[0].run(new java.util.Date());
        assertThat(stopped.scannedTo()).as("the chunk in hand is finished, no more").isEqualTo(10);
        assertThat(stopped.examined()).isEqualTo(10);
        assertThat(running[0].run(new java.util.Date()).examined()).as("a stopped checker runs no more").isZero();

        QualityChecker restarted = checker(5, 1_000_000);
        QualityChecker.Result resumed = restarted.run(new java.util.Date());
        assertThat(resumed.examined()).as("resumed from the watermark, not from the start").isEqualTo(20);
        assertThat(resumed.scannedTo()).isEqualTo(30);
        assertThat(count("select count(*) from quality_findings where rule_code = 'coordinates_out_of_range'")).isEqualTo(3);
    }

    /**
     * Each record's previous fix is the device's latest fix before its own, whatever order the fixes arrived
     * in: fixes shuffled across chunks, equal fix times, and fixes that arrive after a run with fix times
     * between ones already checked. Every fix is a jump here (a tiny limit), so each record with a previous
     * fix has a finding naming it, and the test compares those with a look-up over all rows.
     */
    @Test
    void thePreviousFixIsTheDevicesLatestBeforeItWhateverTheOrderOfArrival() throws Exception {
        java.util.Random random = new java.util.Random(17);
        Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(7200);
        List<long[]> stored = new ArrayList<>();   // {device, second}
        Map<Long, Instant> expected = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update quality_rules set limit_value = 0.001 where code = 'position_jump'");
        }
        QualityChecker checker = checker(7, 1_000_000);
        for (int batch = 0; batch < 2; batch++) {
            List<long[]> arriving = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                arriving.add(new long[] {random.nextInt(4), random.nextInt(batch == 0 ? 90 : 120)});
            }
            Map<Long, long[]> byId = new HashMap<>();
            try (Connection c = db.dataSource().getConnection()) {
                for (long[] fix : arriving) {
                    byId.put(insertFix(c, "order-" + fix[0], base.plusSeconds(fix[1]), byId.size()), fix);
                }
            }
            stored.addAll(arriving);
            // the previous fix of a record is looked up when it is checked, over the rows there by then
            byId.forEach((id, fix) -> stored.stream()
                    .filter(q -> q[0] == fix[0] && q[1] < fix[1]).mapToLong(q -> q[1]).max()
                    .ifPresent(second -> expected.put(id, base.plusSeconds(second))));
            checker.run(new java.util.Date());
        }
        Map<Long, Instant> found = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select record_id, detail from quality_findings where rule_code = 'position_jump'")) {
            while (rs.next()) {
                String detail = rs.getString(2);
                int since = detail.indexOf(" since ") + " since ".length();
                found.put(rs.getLong(1), Instant.parse(detail.substring(since, detail.indexOf(": ", since))));
            }
        }
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(found).isEqualTo(expected);
    }

    /** A fix whose latitude follows its time, so two fixes of a device at the same time are at the same place. */
    static long insertFix(Connection c, String device, Instant fix, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, event_code, protocol)
                values (?, ?, ?, ?, 23.73, '4002', 'json') returning id""")) {
            ps.setString(1, device);
            ps.setTimestamp(2, Timestamp.from(fix));
            ps.setString(3, device + "-" + fix + "-" + n);
            ps.setDouble(4, 37 + (fix.getEpochSecond() % 1000) * 0.001);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aDisabledRuleFindsNothingAndTunedLimitsApply() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update quality_rules set enabled = false where code = 'coordinates_out_of_range'");
            st.execute("update quality_rules set limit_value = 10 where code = 'speed_too_high'");
            insert(c, "tuned", 0, 120, 23.73);
            st.execute("update records set speed_kmh = 11 where device_uid = 'tuned'");
        }
        QualityChecker.Result r = checker(100, 1_000_000).run(new java.util.Date());
        assertThat(r.newFindings()).isEqualTo(1);
        assertThat(count("select count(*) from quality_findings where rule_code = 'speed_too_high'"
                + " and detail = 'speed 11.0 km/h above 10.0 km/h'")).isEqualTo(1);
    }

    @Test
    void obdRulesCheckTheValuesOfTheStoredDocument() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            String[] documents = {
                "{\"rpm\": 20000, \"coolant_temp_c\": 90, \"fuel_level_pct\": 50.5, \"vin\": \"WVW\", \"dtcs\": [\"P0300\"]}",
                "{\"coolant_temp_c\": -41}",
                "{\"fuel_level_pct\": 100.5, \"rpm\": \"fast\"}",
                "{\"fuel_level_pct\": 100000000000000000000}",
                "{\"rpm\": null, \"coolant_temp_c\": {\"c\": 300}}",
                "{}"};
            for (int i = 0; i < documents.length; i++) {
                insert(c, "obd-" + i, 0, 37.98, 23.73);
                try (PreparedStatement ps = c.prepareStatement("update records set obd = ?::jsonb where device_uid = ?")) {
                    ps.setString(1, documents[i]);
                    ps.setString(2, "obd-" + i);
                    ps.executeUpdate();
                }
            }
        }
        QualityChecker.Result r = checker(100, 1_000_000).run(new java.util.Date());
        assertThat(r.examined()).isEqualTo(6);
        assertThat(findings("obd_%")).containsExactlyInAnyOrder(
                "obd-0 obd_rpm_out_of_range obd rpm 20000.0 outside [0.0, 16383.75]",
                "obd-1 obd_coolant_out_of_range obd coolant_temp_c -41.0 outside [-40.0, 215.0]",
                "obd-2 obd_fuel_level_out_of_range obd fuel_level_pct 100.5 outside [0.0, 100.0]",
                "obd-3 obd_fuel_level_out_of_range obd fuel_level_pct 1.0E20 outside [0.0, 100.0]");

        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update quality_rules set enabled = false where code like 'obd_%'");
            insert(c, "obd-off", 0, 37.98, 23.73);
            st.execute("update records set obd = '{\"rpm\": 20000}' where device_uid = 'obd-off'");
        }
        assertThat(checker(100, 1_000_000).run(new java.util.Date()).examined()).isEqualTo(1);
        assertThat(findings("obd_%")).as("OBD rules disabled: nothing new found").hasSize(4);
    }

    java.util.List<String> findings(String codes) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select device_uid || ' ' || rule_code || ' ' || detail from quality_findings where rule_code like ?")) {
            ps.setString(1, codes);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
