package io.fleetcore.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A watermark over a table whose {@code id} comes from a sequence, for readers that must never skip a row
 * that commits late (the quality check, the feeds).
 *
 * <p>{@code id} is drawn when a row is inserted, but the row becomes visible when its transaction commits. A
 * writer that drew id 100 and commits after another writer's id 101 is visible: a plain "max id seen"
 * watermark would skip 100 forever. So a reader notes a <i>horizon</i>: the highest id it could see plus the
 * transaction ids then running (see {@link Snapshot}). Any row with an id up to that horizon that was
 * invisible then belongs to a transaction that was in progress then. Once the oldest transaction running is at
 * or past the horizon's {@code xmax}, all those transactions have ended, so every row up to the horizon is
 * visible and the reader's position may move up to it.
 *
 * <p>A writer closes the one remaining gap with {@link #claimTransactionId}: a transaction that drew an id
 * before it had a transaction id of its own would look "not yet started" to the horizon.
 */
public final class Horizon {

    private Horizon() {
    }

    /** Gives the current transaction its id now, before any row draws a sequence value. */
    public static void claimTransactionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("select pg_current_xact_id()");
        }
    }

    /**
     * The highest visible id of {@code table} and the transaction horizon, read in one statement. Only
     * transactions of <i>this database</i> count (those of other databases cannot write the table, and one long
     * transaction elsewhere on the server must not hold every reader here back): {@code xmin} is the oldest
     * transaction id still running here (the snapshot's {@code xmax} when none is), {@code xmax} is above every
     * transaction id running here and at least the snapshot's {@code xmax} (which is only "last completed + 1":
     * a running transaction may have a higher id).
     */
    public record Snapshot(long maxId, long xmin, long xmax) {

        /** {@code table} is a fixed name chosen by the caller, never user input. */
        public static Snapshot take(Connection c, String table) throws SQLException {
            // backend_xid is 32 bits: its signed distance from the snapshot's 64-bit xmax gives its 64-bit value
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    with s as (select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as xmax),
                         running as (
                           select s.xmax + ((((a.backend_xid::text::bigint - s.xmax % 4294967296 + 2147483648)
                                  % 4294967296) + 4294967296) % 4294967296) - 2147483648 as xid
                           from pg_stat_activity a, s
                           where a.datname = current_database() and a.backend_xid is not null)
                    select (select coalesce(max(id), 0) from TABLE),
                           coalesce((select min(xid) from running), s.xmax),
                           greatest(s.xmax, (select max(xid) + 1 from running))
                    from s""".replace("TABLE", table))) {
                rs.next();
                return new Snapshot(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /**
     * A reader's stored progress: every row with {@code id <= position} has been handled; {@code horizonId}
     * and {@code horizonXmax} are the horizon noted by an earlier snapshot.
     */
    public record Mark(long position, long horizonId, long horizonXmax) {

        /** True once every transaction in progress when the horizon was noted has ended. */
        public boolean passed(Snapshot now) {
            return now.xmin() >= horizonXmax;
        }

        /** The highest id up to which every row is visible in {@code now}: nothing below it can still appear. */
        public long visibleTo(Snapshot now) {
            return passed(now) ? Math.max(position, horizonId) : position;
        }
    }
}
