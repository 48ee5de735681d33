package io.fleetcore.feed;

import io.fleetcore.store.Horizon;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A named, durable cursor over a {@link FeedSource} (a row of {@code feed_cursors}) and the delivery of its next
 * batch. One batch is one transaction: take the feed's advisory lock (another instance holding it means "not
 * now", so several instances never deliver one feed concurrently), read the rows after the cursor up to the
 * snapshot {@link Horizon} (a row that commits late is never skipped), hand them to the destination and, only
 * when it confirmed them, move the cursor and commit. A crash, a lost database or a failing destination
 * leaves the cursor where it was: the batch is delivered again (at least once, in id order, which is per-device
 * storage order).
 *
 * <p>Keeping up with ingest: a horizon that has passed is renewed at once, even while the feed is still behind
 * it, and the passed one is remembered in memory; so while one batch is delivered the next horizon passes, and
 * a feed that is behind never waits for one. Rows that are stored but not deliverable yet (their horizon has not
 * passed: a writer's transaction is still open) are tried again after milliseconds, not after a poll delay.
 *
 * <p>The transaction writes only at its end, so it has no transaction id while the destination works and
 * holds back no one's horizon.
 */
public final class Feed {

    /** First key of the feed advisory locks (ASCII "FEED"); the second is {@code hashtext(name)}. */
    static final int LOCK_CLASS = 0x46454544;
    /** Returned by {@link #deliverNext} when another instance is delivering this feed right now. */
    public static final int BUSY = -1;

    private final DataSource dataSource;
    private final String name;
    private final FeedSource source;
    private final int batchSize;
    private final Duration horizonWait;
    private volatile boolean ensured;
    /**
     * Every row of the source with an id up to this is visible: a horizon this instance saw pass. A fact of the
     * table, not of this feed's cursor, so it holds across resets and other instances; kept in memory only (a
     * restart starts at 0 and waits for the stored horizon once).
     */
    private volatile long visible;

    /** The destination: returns normally only when every item is durable there. */
    @FunctionalInterface
    public interface Destination {
        void deliver(List<FeedItem> items) throws Exception;
    }

    public Feed(DataSource dataSource, String name, FeedSource source, int batchSize) {
        this(dataSource, name, source, batchSize, DEFAULT_HORIZON_WAIT);
    }

    /** How long {@link #deliverNext} waits by default for pending rows to become deliverable. */
    public static final Duration DEFAULT_HORIZON_WAIT = Duration.ofSeconds(1);

    public Feed(DataSource dataSource, String name, FeedSource source, int batchSize, Duration horizonWait) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a feed needs a name");
        }
        this.dataSource = dataSource;
        this.name = name;
        this.source = source;
        this.batchSize = Math.max(1, batchSize);
        this.horizonWait = horizonWait;
    }

    public String name() {
        return name;
    }

    public FeedSource source() {
        return source;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * Delivers the next batch; returns how many rows were delivered (0: nothing to deliver now, {@link #BUSY}:
     * another instance holds the feed). When the destination throws, the error is noted on the cursor and
     * rethrown. While rows are stored but not yet deliverable (the transactions running when the horizon was
     * noted have not all ended, usually a matter of milliseconds) it tries again after a few milliseconds (2, 4, ... up to
     * 50) for up to {@code horizonWait}, so a busy feed never sleeps a whole poll delay while it is behind.
     */
    public int deliverNext(Destination destination) throws Exception {
        long deadline = System.nanoTime() + horizonWait.toNanos();
        long step = FIRST_STEP_NANOS;
        while (true) {
            int n = attempt(destination);
            if (n != PENDING) {
                return n;
            }
            if (System.nanoTime() - deadline >= 0) {
                return 0;
            }
            LockSupport.parkNanos(step);
            step = Math.min(step * 2, MAX_STEP_NANOS);
        }
    }

    /** {@link #attempt} delivered nothing, but rows above the cursor are stored or the horizon moved. */
    private static final int PENDING = -2;
    /** The pause between two attempts while rows are pending: from 2 ms, doubled up to 50 ms. */
    private static final long FIRST_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private int attempt(Destination destination) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            if (!ensured) {
                c.setAutoCommit(true);
                ensure(c, name, source);
                ensured = true;
            }
            c.setAutoCommit(false);
            List<FeedItem> items;
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return BUSY;
                }
                Horizon.Mark mark = load(c);
                Horizon.Snapshot now = Horizon.Snapshot.take(c, source.table());
                boolean passed = mark.passed(now);
                if (passed) {
                    visible = Math.max(visible, mark.horizonId());
                }
                long upTo = Math.max(mark.position(), visible);
                items = source.read(c, mark.position(), upTo, batchSize);
                long position = items.size() < batchSize ? upTo : items.get(items.size() - 1).id();
                // a passed horizon is renewed right away, behind or not: by the time the rows up to the old one
                // are delivered, the new one has usually passed too (pipelined horizons, no wait while behind)
                boolean renew = passed && now.maxId() > mark.horizonId();
                Horizon.Mark next = renew ? new Horizon.Mark(position, now.maxId(), now.xmax())
                        : new Horizon.Mark(position, mark.horizonId(), mark.horizonXmax());
                if (next.equals(mark)) {
                    c.rollback();
                    return now.maxId() > mark.position() ? PENDING : 0;
                }
                if (!items.isEmpty()) {
                    destination.deliver(items);
                }
                save(c, next, items.size());
                c.commit();
            } catch (Exception e) {
                rollbackQuietly(c, e);
                noteError(c, e);
                throw e;
            }
            return items.isEmpty() ? PENDING : items.size();
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void ensure(Connection c, String name, FeedSource source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into feed_cursors (feed, source) values (?, ?) on conflict (feed) do nothing")) {
            ps.setString(1, name);
            ps.setString(2, source.table());
            ps.executeUpdate();
        }
    }

    private Horizon.Mark load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select position, horizon_id, horizon_xmax::text::bigint from feed_cursors where feed = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Horizon.Mark(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    private void save(Connection c, Horizon.Mark next, int delivered) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update feed_cursors set position = ?, horizon_id = ?, horizon_xmax = ?::text::xid8,
                       delivered = delivered + ?,
                       delivered_at = case when ? > 0 then now() else delivered_at end,
                       last_error = case when ? > 0 then null else last_error end
                where feed = ?""")) {
            ps.setLong(1, next.position());
            ps.setLong(2, next.horizonId());
            ps.setString(3, Long.toString(next.horizonXmax()));
            ps.setLong(4, delivered);
            ps.setInt(5, delivered);
            ps.setInt(6, delivered);
            ps.setString(7, name);
            ps.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void noteError(Connection c, Exception cause) {
        try {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(
                    "update feed_cursors set last_error = ?, last_error_at = now() where feed = ?")) {
                ps.setString(1, String.valueOf(cause.getMessage()));
                ps.setString(2, name);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e); // the database is what failed; the log has the error
        }
    }

    /** Where a feed stands: {@code lagRecords} rows stored after its position, the oldest of them {@code lag} ago. */
    public record Status(String feed, String source, long position, long delivered, Instant deliveredAt,
                         long lagRecords, Duration lag, String lastError, Instant lastErrorAt) {
    }

    /** Every feed in {@code feed_cursors}, with its lag right now. */
    public static List<Status> list(Connection c) throws SQLException {
        return list(c, null);
    }

    /** One feed ({@code feed}) or all ({@code null}). */
    private static List<Status> list(Connection c, String feed) throws SQLException {
        List<Status> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select feed, source, position, delivered, delivered_at, last_error, last_error_at
                from feed_cursors where ?::text is null or feed = ? order by feed""")) {
            ps.setString(1, feed);
            ps.setString(2, feed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FeedSource source = FeedSource.parse(rs.getString(2));
                    long position = rs.getLong(3);
                    Lag lag = lag(c, source, position);
                    out.add(new Status(rs.getString(1), source.table(), position, rs.getLong(4), instant(rs.getTimestamp(5)),
                            lag.records(), lag.age(), rs.getString(6), instant(rs.getTimestamp(7))));
                }
            }
        }
        return out;
    }

    /** The status of this feed (its row is created when missing). */
    public Status status() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!ensured) {
                ensure(c, name, source);
                ensured = true;
            }
            return list(c, name).get(0);
        }
    }

    /** Rows stored after a cursor, and the age of the oldest of them (zero when there is none). */
    public record Lag(long records, Duration age) {
    }

    /**
     * The rows after a cursor, and the age of the oldest: measured after polls, once a second by default, on a table
     * that may grow by millions of rows in minutes. Bounded above by the newest id (an index lookup), so PostgreSQL
     * plans an index range scan even without statistics: on {@code id > ?} alone it estimates a third of a table it
     * has not analyzed (new, fast-growing, or with autovacuum off) and counted the whole table in parallel
     * sequential scans at every refresh, work that grew with the table.
     */
    public static String lagSql(FeedSource source) {
        return "select count(*), extract(epoch from now() - min(" + source.timeColumn() + ")) from " + source.table()
                + " where id > ? and id <= (select max(id) from " + source.table() + ")";
    }

    public static Lag lag(Connection c, FeedSource source, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lagSql(source))) {
            ps.setLong(1, position);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double seconds = rs.getDouble(2);
                return new Lag(rs.getLong(1), Duration.ofMillis(Math.max(0, Math.round(seconds * 1000))));
            }
        }
    }

    /**
     * Moves the cursor of {@code feed} back (or forward) so that the next batch starts with the first row stored
     * at or after {@code from}; returns the new position. The feed's destination receives those rows again.
     */
    public static long reset(Connection c, String feed, Instant from) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long position = resetLocked(c, feed, from);
            c.commit();
            return position;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Waits for the feed's lock (a batch in flight finishes first), then moves the cursor. */
    private static long resetLocked(Connection c, String feed, Instant from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, feed);
            ps.execute();
        }
        FeedSource source;
        try (PreparedStatement ps = c.prepareStatement("select source from feed_cursors where feed = ?")) {
            ps.setString(1, feed);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no feed named '" + feed + "' (see feed list)");
                }
                source = FeedSource.parse(rs.getString(1));
            }
        }
        long position;
        try (PreparedStatement ps = c.prepareStatement(
                "select coalesce(min(id) - 1, (select coalesce(max(id), 0) from " + source.table() + "))"
                        + " from " + source.table() + " where " + source.timeColumn() + " >= ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update feed_cursors set position = ?, reset_at = now() where feed = ?""")) {
            ps.setLong(1, position);
            ps.setString(2, feed);
            ps.executeUpdate();
        }
        return position;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
