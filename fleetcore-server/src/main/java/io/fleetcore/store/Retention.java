package io.fleetcore.store;

import io.fleetcore.config.FleetcoreConfig;
import java.sql.Connection;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code retention} of the retention route: keeps monthly partitions of {@code records} created ahead
 * of time (so new records never land in {@code records_default}), drops whole monthly partitions older than
 * the records retention, and deletes old rows of the other growing tables, each with its own retention.
 * Every retention is off (empty) by default. Partitions are only ever dropped whole: a month goes once its
 * last day is older than the retention; {@code records_default} is never dropped.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final Pattern MONTHLY = Pattern.compile("records_y(\\d{4})m(\\d{2})");
    private static final int CHUNK = 10_000;

    /** A growing table other than records: its time column and its retention key. */
    record Table(String name, String timeColumn, String key, String keep) {
    }

    static final List<Table> TABLES = List.of(
            new Table("quality_findings", "found_at", "fleetcore.retention.quality-findings", ""),
            new Table("rejected_frames", "received_at", "fleetcore.retention.rejected-frames", ""),
            new Table("check_runs", "ran_at", "fleetcore.retention.check-runs", ""),
            new Table("device_events", "created_at", "fleetcore.retention.device-events", ""),
            // the newest row of each service is its current status: never deleted
            new Table("service_status", "changed_at", "fleetcore.retention.service-status",
                    " and id not in (select max(id) from service_status group by service)"));

    private final DataSource dataSource;
    private final int monthsAhead;
    private final Optional<Duration> records;
    private final Map<Table, Optional<Duration>> tables;
    private final Clock clock;

    public Retention(DataSource dataSource, int monthsAhead, Optional<Duration> records,
                     Map<Table, Optional<Duration>> tables, Clock clock) {
        this.dataSource = dataSource;
        this.monthsAhead = monthsAhead;
        this.records = records;
        this.tables = tables;
        this.clock = clock;
    }

    public static Retention create(FleetcoreConfig config, DataSource dataSource) {
        Map<Table, Optional<Duration>> tables = new LinkedHashMap<>();
        for (Table t : TABLES) {
            tables.put(t, retention(config, t.key()));
        }
        return new Retention(dataSource, config.getInt("fleetcore.partitions.months-ahead"),
                retention(config, "fleetcore.retention.records"), tables, Clock.systemUTC());
    }

    /** Empty or {@code off}: keep forever. */
    static Optional<Duration> retention(FleetcoreConfig config, String key) {
        String v = config.get(key, "");
        if (v.isEmpty() || v.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        Duration d = FleetcoreConfig.parseDuration(key, v);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalStateException("configuration " + key + " (env " + FleetcoreConfig.envName(key)
                    + ") must be a positive duration like 400d, or empty for no retention, got '" + v + "'");
        }
        return Optional.of(d);
    }

    /** Creates the monthly partitions of this month and the next {@code monthsAhead}; returns how many were new. */
    public int createPartitions() throws SQLException {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        int created = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select records_partition_create(?)")) {
            for (int i = 0; i <= monthsAhead; i++) {
                ps.setObject(1, now.plusMonths(i).atDay(1));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        created++;
                        LOG.info("records: partition for {} created", now.plusMonths(i));
                    }
                }
            }
        }
        return created;
    }

    /** Drops monthly partitions past the records retention, deletes old rows of the other tables. */
    public Map<String, Long> purge() throws SQLException {
        Map<String, Long> removed = new LinkedHashMap<>();
        Instant now = clock.instant();
        if (records.isPresent()) {
            removed.put("records_partitions", (long) dropPartitions(now.minus(records.get())));
        }
        for (Map.Entry<Table, Optional<Duration>> e : tables.entrySet()) {
            if (e.getValue().isPresent()) {
                removed.put(e.getKey().name(), delete(e.getKey(), now.minus(e.getValue().get())));
            }
        }
        if (removed.values().stream().anyMatch(n -> n > 0)) {
            LOG.info("retention: removed {}", removed);
        }
        return removed;
    }

    /** The monthly partitions, oldest first. */
    public List<String> partitions() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select inhrelid::regclass::text from pg_inherits"
                     + " where inhparent = 'records'::regclass order by 1")) {
            while (rs.next()) {
                if (MONTHLY.matcher(rs.getString(1)).matches()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private int dropPartitions(Instant cutoff) throws SQLException {
        int dropped = 0;
        for (String name : partitions()) {
            Matcher m = MONTHLY.matcher(name);
            if (!m.matches()) {
                continue;
            }
            YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!end.isAfter(cutoff)) {
                long fellBack = drop(name, start, end);
                LOG.info("records: partition {} dropped (older than the retention); {} device(s) whose latest record"
                        + " was in it fell back to an older one", name, fellBack);
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * Drops a monthly partition and, in the same transaction, sets afresh the latest record of every device whose
     * latest was in it: the newest record it still has elsewhere, or no latest row when none is left (it drops out
     * of {@code api.latest_positions} as it has no stored position any more). Returns how many of those devices kept
     * an (older) latest record.
     */
    private long drop(String partition, Instant start, Instant end) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                 PreparedStatement refresh = c.prepareStatement("select latest_records_refresh(array(select device_uid"
                         + " from latest_records where fix_time >= ? and fix_time < ?))")) {
                st.execute("drop table " + partition);
                refresh.setTimestamp(1, Timestamp.from(start));
                refresh.setTimestamp(2, Timestamp.from(end));
                long kept;
                try (ResultSet rs = refresh.executeQuery()) {
                    rs.next();
                    kept = rs.getLong(1);
                }
                c.commit();
                return kept;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private long delete(Table t, Instant cutoff) throws SQLException {
        String sql = "delete from " + t.name() + " where ctid = any(array(select ctid from " + t.name()
                + " where " + t.timeColumn() + " < ?" + t.keep() + " limit " + CHUNK + "))";
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int n;
            do {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                n = ps.executeUpdate();
                total += n;
            } while (n == CHUNK);
        }
        return total;
    }
}
