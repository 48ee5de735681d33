package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A feed's lag (rows after its cursor, age of the oldest) is measured about once a second while records arrive by
 * the thousand: it must read the rows after the cursor, not the table. On a table PostgreSQL has no statistics for
 * (fresh, fast-growing, autovacuum off, as on this project's CI) the query with only {@code id > ?} was counted with
 * sequential scans of every row, every second.
 */
class FeedLagPlanIT {

    Database db;

    @BeforeEach
    void start() throws SQLException {
        db = TestServices.newMigratedDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // no statistics, whatever the server's autovacuum does meanwhile
            for (String partition : partitions(c)) {
                st.execute("alter table " + partition + " set (autovacuum_enabled = false)");
            }
        }
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void readsOnlyTheRowsAfterTheCursorOnATableWithoutStatistics() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            FeedIT.insert(c, "lag-device", 100_000);
            long newest;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select max(id) from records")) {
                rs.next();
                newest = rs.getLong(1);
            }
            long position = newest - 500;

            Feed.Lag lag = Feed.lag(c, FeedSource.RECORDS, position);
            assertThat(lag.records()).isEqualTo(500);

            String plan = plan(c, position);
            assertThat(plan).as(plan).doesNotContain("Seq Scan on records_").doesNotContain("Rows Removed by Filter");
        }
    }

    @Test
    void countsEveryRowAfterTheCursorAndTheOldestAge() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            FeedIT.insert(c, "lag-a", 30);
            FeedIT.insert(c, "lag-b", 20);
            assertThat(Feed.lag(c, FeedSource.RECORDS, 0).records()).isEqualTo(50);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select max(id) from records")) {
                rs.next();
                assertThat(Feed.lag(c, FeedSource.RECORDS, rs.getLong(1)).records()).isZero();
                assertThat(Feed.lag(c, FeedSource.RECORDS, rs.getLong(1)).age()).isZero();
            }
        }
    }

    private static String plan(Connection c, long position) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off) " + Feed.lagSql(FeedSource.RECORDS))) {
            ps.setLong(1, position);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static List<String> partitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select inhrelid::regclass::text from pg_inherits where inhparent = 'records'::regclass")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
