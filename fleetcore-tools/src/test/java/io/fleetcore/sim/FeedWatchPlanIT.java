package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.feed.Feed;
import io.fleetcore.feed.FeedSource;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's feed watch samples twice a second during its runs, on the database it measures: a sample reads the
 * rows after the feed's cursor, not the whole table, even when PostgreSQL has no statistics for it (the bench fills
 * a fresh database in minutes; this project's CI runs PostgreSQL with autovacuum off).
 */
class FeedWatchPlanIT {

    Database db;

    @BeforeEach
    void start() throws SQLException {
        db = TestServices.newMigratedDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select inhrelid::regclass::text from pg_inherits where inhparent = 'records'::regclass")) {
            try (Statement alter = c.createStatement()) {
                while (rs.next()) {
                    alter.execute("alter table " + rs.getString(1) + " set (autovacuum_enabled = false)");
                }
            }
        }
    }

    private static long position(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select position from feed_cursors where feed = 'records'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void aSampleReadsOnlyTheRowsAfterTheCursor() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)
                    select 'watch-device', now() - g * interval '1 second', md5(g::text), 37.9, 23.7, 'json'
                    from generate_series(1, 100000) g""");
            st.execute("insert into feed_cursors (feed, source, position) select 'records', 'records', max(id) - 500 from records");

            FeedWatch watch = FeedWatch.start(db.dataSource(), "records", java.time.Duration.ofHours(1));
            FeedWatch.Sample sample;
            try {
                sample = watch.sample();
            } finally {
                watch.close();
            }
            assertThat(sample.lagRecords()).isEqualTo(500);
            assertThat(sample.stored()).isEqualTo(100_000);

            // what a sample runs: its cursor query, then the server's lag query after that position
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off) " + FeedWatch.cursorSql(false))) {
                ps.setString(1, "records");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off) " + Feed.lagSql(FeedSource.RECORDS))) {
                ps.setLong(1, position(c));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            assertThat(plan.toString()).as(plan.toString()).doesNotContain("Seq Scan on records_").doesNotContain("Rows Removed by Filter");
        }
    }
}
