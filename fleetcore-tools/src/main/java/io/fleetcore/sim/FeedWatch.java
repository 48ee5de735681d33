package io.fleetcore.sim;

import io.fleetcore.feed.Feed;
import io.fleetcore.feed.FeedSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Watches one feed while ingest runs, from the database: every {@code every} it samples the rows stored, the
 * rows the feed's destination confirmed ({@code feed_cursors.delivered}) and how far it is behind (rows stored
 * after its position, and the age of the oldest). {@link #finish} then waits until the feed has caught up and
 * reports stored and forwarded rates, the worst lag and the catch-up time.
 */
public final class FeedWatch implements AutoCloseable {

    private final DataSource dataSource;
    private final String feed;
    private final Duration every;
    private final Thread sampler;
    private final long startNanos = System.nanoTime();
    private final Sample first;
    private volatile long maxLagRecords;
    private volatile double maxLagSeconds;
    private volatile boolean stop;

    /** What the database says about the feed at one moment. */
    public record Sample(long stored, long delivered, long lagRecords, double lagSeconds) {
    }

    private FeedWatch(DataSource dataSource, String feed, Duration every) throws SQLException {
        this.dataSource = dataSource;
        this.feed = feed;
        this.every = every;
        this.first = sample();
        this.sampler = new Thread(this::run, "feed-watch-" + feed);
        this.sampler.setDaemon(true);
    }

    public static FeedWatch start(DataSource dataSource, String feed, Duration every) throws SQLException {
        FeedWatch w = new FeedWatch(dataSource, feed, every);
        w.sampler.start();
        return w;
    }

    public Sample sample() throws SQLException {
        return sample(true);
    }

    /**
     * {@code countStored}: count the whole table ({@code stored}; else -1). Only the first and the last sample do:
     * counting millions of rows twice a second was load of the bench's own on the database being measured.
     */
    private Sample sample(boolean countStored) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(cursorSql(countStored))) {
            ps.setString(1, feed);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Feed.Lag lag = Feed.lag(c, FeedSource.RECORDS, rs.getLong(3));
                return new Sample(rs.getLong(1), rs.getLong(2), lag.records(), lag.age().toMillis() / 1000.0);
            }
        }
    }

    /**
     * The rows stored (or -1), and the feed's delivered count and position (0 before its cursor exists); the lag
     * after that position is the server's own query ({@link Feed#lag}), not a copy of it.
     */
    static String cursorSql(boolean countStored) {
        return """
                select %s, coalesce(f.delivered, 0), coalesce(f.position, 0)
                from (select 1) one left join feed_cursors f on f.feed = ?"""
                .formatted(countStored ? "(select count(*) from records)" : "-1");
    }

    private void run() {
        while (!stop) {
            try {
                Sample s = sample(false);
                maxLagRecords = Math.max(maxLagRecords, s.lagRecords());
                maxLagSeconds = Math.max(maxLagSeconds, s.lagSeconds());
                TimeUnit.NANOSECONDS.sleep(every.toNanos());
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                // the database may be the fault under test; the next sample tries again
            }
        }
    }

    /**
     * Call when ingest has ended: stops sampling, waits up to {@code catchUpLimit} for the feed to have no rows
     * left, and returns the figures (rates over the ingest time, lag maxima, catch-up seconds, caught_up).
     */
    public Map<String, Object> finish(Duration catchUpLimit) throws SQLException, InterruptedException {
        double ingestSeconds = (System.nanoTime() - startNanos) / 1e9;
        Sample atEnd = sample();
        close();
        long catchUpStart = System.nanoTime();
        Sample s = atEnd;
        while (s.lagRecords() > 0 && System.nanoTime() - catchUpStart < catchUpLimit.toNanos()) {
            Thread.sleep(100);
            s = sample(false);
        }
        double catchUp = (System.nanoTime() - catchUpStart) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feed", feed);
        long stored = atEnd.stored() - first.stored();
        long forwarded = atEnd.delivered() - first.delivered();
        m.put("stored_per_s", Math.round(stored / ingestSeconds));
        m.put("forwarded_per_s", Math.round(forwarded / ingestSeconds));
        // 1.0: the feed forwarded as many rows as ingest stored in the same time (it can exceed 1 while catching up)
        m.put("forwarded_vs_stored", stored == 0 ? 0.0 : Math.round(100.0 * forwarded / stored) / 100.0);
        m.put("max_lag_records", Math.max(maxLagRecords, atEnd.lagRecords()));
        m.put("max_lag_s", Math.round(Math.max(maxLagSeconds, atEnd.lagSeconds()) * 10) / 10.0);
        m.put("lag_records_at_end", atEnd.lagRecords());
        m.put("catch_up_s", Math.round(catchUp * 10) / 10.0);
        m.put("caught_up", s.lagRecords() == 0);
        m.put("forwarded_total", s.delivered());
        return m;
    }

    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
    }
}
