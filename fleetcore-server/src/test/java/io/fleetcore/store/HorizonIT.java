package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshot horizon against a real PostgreSQL, including the gap {@link Horizon#claimTransactionId} closes:
 * a writer that draws a record id before it has a transaction id is invisible to a horizon noted in between,
 * so a reader would move past its row before it commits. The group-commit writer (RecordStore) and the alert
 * writer claim their transaction id first.
 */
class HorizonIT {

    Database db;

    @BeforeEach
    void start() {
        db = TestServices.newMigratedDatabase();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    /** Whether a horizon noted between the slow writer's first id and its insert has passed while it is still open. */
    boolean horizonPassesOverAnOpenWriter(boolean claimFirst) throws SQLException {
        try (Connection writer = db.dataSource().getConnection(); Connection reader = db.dataSource().getConnection()) {
            try (Statement st = reader.createStatement()) {
                // the sequence logs 32 values ahead: the writer's nextval below then writes no WAL and so takes no
                // transaction id of its own (nextval does when it has to log)
                st.execute("select nextval('records_id_seq')");
            }
            writer.setAutoCommit(false);
            if (claimFirst) {
                Horizon.claimTransactionId(writer);
            }
            long drawn;
            try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("select nextval('records_id_seq')")) {
                rs.next();
                drawn = rs.getLong(1);
            }
            try (Statement st = reader.createStatement()) {
                st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)"
                        + " values ('fast', now(), 'a', 1, 2, 'json')");
            }
            Horizon.Snapshot noted = Horizon.Snapshot.take(reader, "records");
            Horizon.Mark mark = new Horizon.Mark(0, noted.maxId(), noted.xmax());
            assertThat(noted.maxId()).isGreaterThan(drawn);
            try (Statement st = writer.createStatement()) {
                st.execute("insert into records (id, device_uid, fix_time, content_hash, latitude, longitude, protocol)"
                        + " values (" + drawn + ", 'slow', now(), 'b', 1, 2, 'json')");
            }
            Horizon.Snapshot later = Horizon.Snapshot.take(reader, "records");
            boolean passed = mark.passed(later);
            writer.commit();
            return passed;
        }
    }

    @Test
    void aWriterThatClaimsItsTransactionIdFirstHoldsTheHorizonUntilItCommits() throws SQLException {
        assertThat(horizonPassesOverAnOpenWriter(true)).isFalse();
    }

    @Test
    void withoutTheClaimAHorizonPassesOverTheOpenWriter() throws SQLException {
        assertThat(horizonPassesOverAnOpenWriter(false)).as("the gap the claim closes").isTrue();
    }

    @Test
    void aTransactionOpenInAnotherDatabaseDoesNotHoldTheHorizon() throws Exception {
        String other = TestServices.newDatabase();
        try (Connection elsewhere = java.sql.DriverManager.getConnection(other, "postgres", "");
             Connection reader = db.dataSource().getConnection()) {
            elsewhere.setAutoCommit(false);
            Horizon.claimTransactionId(elsewhere); // a long write transaction of another application
            try (Statement st = reader.createStatement()) {
                st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)"
                        + " values ('any', now(), 'c', 1, 2, 'json')"); // completes after it started
            }
            Horizon.Snapshot noted = Horizon.Snapshot.take(reader, "records");
            Horizon.Mark mark = new Horizon.Mark(0, noted.maxId(), noted.xmax());
            assertThat(mark.passed(Horizon.Snapshot.take(reader, "records"))).isTrue();
            elsewhere.rollback();
        }
    }
}
