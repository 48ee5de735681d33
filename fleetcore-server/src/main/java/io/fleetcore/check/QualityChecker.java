package io.fleetcore.check;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.store.Horizon;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data quality check: every record stored since the previous run goes through every enabled rule, in
 * chunks; findings go to {@code quality_findings}; records are never changed or removed.
 *
 * <p>Progress is a watermark over {@code records.id} taken with {@link Horizon} (the reasoning is there), so a
 * record that commits late is never skipped. Between {@code checked_to} and the last horizon a run reads again
 * only the ids the previous run did not see (its {@link Gaps}: a row that committed after the check had read
 * past its id lies in one of them); without them (an older watermark, or more gaps than are kept) the rows of
 * transactions not older than the horizon snapshot's {@code xmin}. Reading a row twice is harmless because
 * findings are unique per (record, rule).
 *
 * <p>Progress is saved after every chunk, and {@link #stop()} (at shutdown) ends a run after its current
 * chunk: a run through a large backlog does not hold the shutdown, and the next start resumes there.
 */
public final class QualityChecker {

    private static final Logger LOG = LoggerFactory.getLogger(QualityChecker.class);
    static final String CHECK_NAME = "quality";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final List<QualityRule> rules;
    private final int chunkSize;
    private final long maxPerRun;
    private final CheckRuns runs;
    private final MeterRegistry meters;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean stopping;

    public QualityChecker(DataSource dataSource, List<QualityRule> rules, int chunkSize, long maxPerRun,
                          CheckRuns runs, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.rules = List.copyOf(rules);
        this.chunkSize = chunkSize;
        this.maxPerRun = maxPerRun;
        this.runs = runs;
        this.meters = meters;
    }

    /**
     * Asks a running check to stop after its current chunk (shutdown): its progress is saved chunk by chunk,
     * so the next start resumes from there. Runs after this return at once.
     */
    public void stop() {
        stopping = true;
    }

    /** One tick: examines the records since the last run; returns how many findings were new. */
    public Result run(java.util.Date scheduledFireTime) throws SQLException {
        runs.record(CHECK_NAME, scheduledFireTime);
        if (stopping) {
            return new Result(0, 0, -1, -1);
        }
        try (Connection c = dataSource.getConnection()) {
            Map<String, RuleSettings> settings = QualitySettings.load(c);
            QualityRule.Context context = new QualityRule.Context(knownEventCodes(c));
            List<QualityRule> active = rules.stream()
                    .filter(r -> settings.containsKey(r.code()) && settings.get(r.code()).enabled()).toList();

            Watermark w = Watermark.load(c);
            Horizon.Snapshot now = Horizon.Snapshot.take(c, "records");
            // every transaction that was in progress at the last horizon has ended
            boolean settled = now.xmin() >= w.horizonXmax();
            // below the last horizon only rows its snapshot could not see (late commits) are new: those of
            // transactions not older than its xmin; the rest was examined then
            long position = w.checkedTo();
            long examined = 0;
            long found = 0;
            while (position < w.horizonId() && !stopping) {
                List<CheckedRecord> chunk = readChunk(c, position, w.horizonId(), w.horizonXmin(), w.lateGaps());
                found += store(c, examine(chunk, active, settings, context));
                examined += chunk.size();
                position = chunk.size() < chunkSize ? w.horizonId() : chunk.get(chunk.size() - 1).id();
                if (settled) {
                    Watermark.save(c, position, w.horizonId(), w.horizonXmax(), w.horizonXmin(), w.lateGaps());
                }
            }
            long checkedTo = settled ? Math.max(w.checkedTo(), position) : w.checkedTo();
            if (position < w.horizonId()) {
                return stopped(examined, found, checkedTo, position);
            }
            // past it: every row; only these count against the limit. The ids not seen there are the next run's
            // gaps; while the last horizon is not passed its gaps stay too, as that range is read again
            Gaps gaps = settled ? new Gaps(position) : Gaps.continuing(w.lateGaps(), position);
            long fresh = 0;
            while (position < now.maxId() && fresh < maxPerRun && !stopping) {
                List<CheckedRecord> chunk = readChunk(c, position, now.maxId(), -1, null);
                gaps.saw(chunk);
                if (chunk.isEmpty()) {
                    position = now.maxId();
                    break;
                }
                found += store(c, examine(chunk, active, settings, context));
                examined += chunk.size();
                fresh += chunk.stream().filter(r -> r.id() > w.horizonId()).count();
                position = chunk.size() < chunkSize ? now.maxId() : chunk.get(chunk.size() - 1).id();
                Watermark.save(c, checkedTo, position, now.xmax(), now.xmin(), gaps.upTo(position));
            }
            Watermark.save(c, checkedTo, position, now.xmax(), now.xmin(), gaps.upTo(position));
            if (stopping) {
                return stopped(examined, found, checkedTo, position);
            }
            meters.counter("fleetcore.quality.records.examined").increment(examined);
            meters.counter("fleetcore.quality.findings").increment(found);
            if (found > 0 || examined > 0) {
                LOG.info("quality: examined {} records up to id {}, {} new findings (watermark {})", examined, position, found, checkedTo);
            }
            return new Result(examined, found, checkedTo, position);
        }
    }

    private Result stopped(long examined, long found, long checkedTo, long position) {
        meters.counter("fleetcore.quality.records.examined").increment(examined);
        meters.counter("fleetcore.quality.findings").increment(found);
        LOG.info("quality: stopping, examined {} records up to id {}, {} new findings; the next start resumes there", examined, position, found);
        return new Result(examined, found, checkedTo, position);
    }

    /** What one run did. */
    public record Result(long examined, long newFindings, long checkedTo, long scannedTo) {
    }

    List<Finding> examine(List<CheckedRecord> chunk, List<QualityRule> active, Map<String, RuleSettings> settings,
                          QualityRule.Context context) {
        List<Finding> findings = new ArrayList<>();
        for (CheckedRecord r : chunk) {
            for (QualityRule rule : active) {
                Optional<String> detail;
                try {
                    detail = rule.check(r, settings.get(rule.code()), context);
                } catch (RuntimeException e) {
                    detail = Optional.of("rule failed on this record: " + e);
                }
                detail.ifPresent(d -> findings.add(new Finding(r.id(), r.deviceUid(), r.fixTime(), rule.code(), d)));
            }
        }
        return findings;
    }

    /**
     * The next chunk of records after {@code afterId}, each with its device's previous fix. With {@code gaps},
     * only rows in them; else with {@code lateAfterXmin >= 0} only rows written by a transaction not older than
     * that snapshot xmin (their {@code xmin}, compared wraparound-aware by age).
     */
    private List<CheckedRecord> readChunk(Connection c, long afterId, long upToId, long lateAfterXmin, Long[] gaps)
            throws SQLException {
        String from = "records r";
        String late = "";
        if (gaps != null) {
            from = "unnest(?::bigint[], ?::bigint[]) g(lo, hi) join records r on r.id >= g.lo and r.id <= g.hi";
        } else if (lateAfterXmin >= 0) {
            late = " and age(r.xmin) <= age((" + (lateAfterXmin % 4_294_967_296L) + ")::text::xid)";
        }
        List<CheckedRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select r.id, r.device_uid, r.fix_time, r.received_at, r.latitude, r.longitude, r.speed_kmh,
                       r.satellites, r.event_code, r.obd::text, r.protocol
                from %s
                where r.id > ? and r.id <= ?%s
                order by r.id
                limit ?""".formatted(from, late))) {
            int p = 1;
            if (gaps != null) {
                ps.setArray(p++, c.createArrayOf("bigint", Gaps.bounds(gaps, 0)));
                ps.setArray(p++, c.createArrayOf("bigint", Gaps.bounds(gaps, 1)));
            }
            ps.setLong(p++, afterId);
            ps.setLong(p++, upToId);
            ps.setInt(p, chunkSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new CheckedRecord(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getDouble(5), rs.getDouble(6),
                            (Double) rs.getObject(7), (Integer) rs.getObject(8), rs.getString(9), rs.getString(11),
                            obd(rs.getString(10)), null));
                }
            }
        }
        Map<String, DeviceFixes> fixes = previousFixes(c, rows);
        List<CheckedRecord> out = new ArrayList<>(rows.size());
        for (CheckedRecord r : rows) {
            out.add(r.withPrevious(fixes.get(r.deviceUid()).before(r.fixTime())));
        }
        return out;
    }

    /**
     * Every fix a record of the chunk can have as its previous one, per device: the device's last fix before
     * its earliest fix in the chunk, and all its fixes from there up to its latest fix in the chunk (wherever
     * they are by id: a fix that arrived later or earlier can lie between two of the chunk). A record's
     * previous fix is the latest of these before its own, so this is exact for fixes out of order, and it
     * costs two index look-ups per device instead of one per record.
     */
    private static Map<String, DeviceFixes> previousFixes(Connection c, List<CheckedRecord> rows) throws SQLException {
        Map<String, DeviceFixes> fixes = new HashMap<>();
        for (CheckedRecord r : rows) {
            fixes.computeIfAbsent(r.deviceUid(), d -> new DeviceFixes(r.fixTime())).span(r.fixTime());
        }
        if (fixes.isEmpty()) {
            return fixes;
        }
        int n = fixes.size();
        String[] devices = new String[n];
        Timestamp[] first = new Timestamp[n];
        Timestamp[] last = new Timestamp[n];
        int i = 0;
        for (Map.Entry<String, DeviceFixes> e : fixes.entrySet()) {
            devices[i] = e.getKey();
            first[i] = Timestamp.from(e.getValue().first);
            last[i] = Timestamp.from(e.getValue().last);
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select d.device_uid, x.fix_time, x.latitude, x.longitude
                from unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) d(device_uid, first_fix, last_fix)
                cross join lateral (
                    (select q.fix_time, q.latitude, q.longitude from records q
                     where q.device_uid = d.device_uid and q.fix_time < d.first_fix
                     order by q.fix_time desc limit 1)
                    union all
                    select q.fix_time, q.latitude, q.longitude from records q
                    where q.device_uid = d.device_uid and q.fix_time >= d.first_fix and q.fix_time < d.last_fix) x""")) {
            ps.setArray(1, c.createArrayOf("text", devices));
            ps.setArray(2, c.createArrayOf("timestamptz", first));
            ps.setArray(3, c.createArrayOf("timestamptz", last));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fixes.get(rs.getString(1)).add(new CheckedRecord.Previous(rs.getTimestamp(2).toInstant(),
                            rs.getDouble(3), rs.getDouble(4)));
                }
            }
        }
        fixes.values().forEach(DeviceFixes::sort);
        return fixes;
    }

    /** One device's fixes that can be a previous fix for the chunk, sorted by fix time after {@link #sort()}. */
    private static final class DeviceFixes {
        private Instant first;
        private Instant last;
        private final List<CheckedRecord.Previous> candidates = new ArrayList<>();

        DeviceFixes(Instant fix) {
            first = fix;
            last = fix;
        }

        void span(Instant fix) {
            first = fix.isBefore(first) ? fix : first;
            last = fix.isAfter(last) ? fix : last;
        }

        void add(CheckedRecord.Previous fix) {
            candidates.add(fix);
        }

        void sort() {
            candidates.sort(java.util.Comparator.comparing(CheckedRecord.Previous::fixTime));
        }

        /** The latest candidate strictly before {@code fix}, or null. */
        CheckedRecord.Previous before(Instant fix) {
            int lo = 0;
            int hi = candidates.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (candidates.get(mid).fixTime().isBefore(fix)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == 0 ? null : candidates.get(lo - 1);
        }
    }

    private Map<String, Object> obd(String text) {
        if (text == null || text.isEmpty() || text.equals("{}")) {
            return Map.of();
        }
        try {
            return json.readValue(text, MAP);
        } catch (java.io.IOException e) {
            return new HashMap<>();
        }
    }

    /** Inserts findings in one statement; returns how many were new. */
    private static int store(Connection c, List<Finding> findings) throws SQLException {
        if (findings.isEmpty()) {
            return 0;
        }
        int n = findings.size();
        Long[] ids = new Long[n];
        String[] devices = new String[n];
        Timestamp[] fixes = new Timestamp[n];
        String[] codes = new String[n];
        String[] details = new String[n];
        for (int i = 0; i < n; i++) {
            Finding f = findings.get(i);
            ids[i] = f.recordId();
            devices[i] = f.deviceUid();
            fixes[i] = Timestamp.from(f.fixTime());
            codes[i] = f.ruleCode();
            details[i] = f.detail();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into quality_findings (record_id, device_uid, fix_time, rule_code, detail)
                select * from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                on conflict (record_id, rule_code) do nothing""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", devices));
            ps.setArray(3, c.createArrayOf("timestamptz", fixes));
            ps.setArray(4, c.createArrayOf("text", codes));
            ps.setArray(5, c.createArrayOf("text", details));
            return ps.executeUpdate();
        }
    }

    private static Map<String, Set<String>> knownEventCodes(Connection c) throws SQLException {
        Map<String, Set<String>> codes = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select protocol, code from event_codes")) {
            while (rs.next()) {
                codes.computeIfAbsent(rs.getString(1), p -> new HashSet<>()).add(rs.getString(2));
            }
        }
        return codes;
    }

    /**
     * The ids a run did not see while it read past them, as inclusive ranges (pairs lo, hi in one array): a row
     * that commits after the check read past its id lies in one of them. At most {@link #MAX} ranges are kept;
     * past that (many ids burnt, e.g. by inserts that conflicted) there are none, and the next run falls back
     * to the transaction-age filter.
     */
    static final class Gaps {
        static final int MAX = 10_000;
        private final List<Long> ranges = new ArrayList<>();
        private long seen;
        private boolean overflow;

        Gaps(long from) {
            seen = from;
        }

        /** The gaps noted earlier (below {@code from}) and those after it; null earlier gaps = unknown. */
        static Gaps continuing(Long[] earlier, long from) {
            Gaps g = new Gaps(from);
            if (earlier == null) {
                g.overflow = true;
            } else {
                java.util.Collections.addAll(g.ranges, earlier);
            }
            return g;
        }

        /** The rows of a chunk, ascending ids, read right after the last one seen. */
        void saw(List<CheckedRecord> chunk) {
            for (CheckedRecord r : chunk) {
                if (r.id() > seen + 1) {
                    add(seen + 1, r.id() - 1);
                }
                seen = Math.max(seen, r.id());
            }
        }

        /** The gaps up to {@code position}, where the reading stopped (null = unknown, use the age filter). */
        Long[] upTo(long position) {
            if (position > seen) {
                add(seen + 1, position);
                seen = position;
            }
            return overflow ? null : ranges.toArray(Long[]::new);
        }

        private void add(long lo, long hi) {
            if (ranges.size() >= 2 * MAX) {
                overflow = true;
                return;
            }
            ranges.add(lo);
            ranges.add(hi);
        }

        /** Every other bound from {@code offset}: 0 the low ones, 1 the high ones. */
        static Long[] bounds(Long[] gaps, int offset) {
            Long[] out = new Long[gaps.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = gaps[2 * i + offset];
            }
            return out;
        }
    }

    /**
     * The check's stored progress: {@code horizonXmin} and {@code horizonXmax} are the horizon snapshot's,
     * {@code lateGaps} the ids not seen up to {@code horizonId} (see {@link Gaps}; null = unknown).
     */
    record Watermark(long checkedTo, long horizonId, long horizonXmax, long horizonXmin, Long[] lateGaps) {

        static Watermark load(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into check_watermarks (check_name) values (?) on conflict (check_name) do nothing""")) {
                ps.setString(1, CHECK_NAME);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select checked_to, horizon_id, horizon_xmax::text::bigint, horizon_xmin::text::bigint, late_gaps"
                    + " from check_watermarks where check_name = ?")) {
                ps.setString(1, CHECK_NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    java.sql.Array gaps = rs.getArray(5);
                    return new Watermark(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            gaps == null ? null : (Long[]) gaps.getArray());
                }
            }
        }

        static void save(Connection c, long checkedTo, long horizonId, long horizonXmax, long horizonXmin, Long[] lateGaps)
                throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    update check_watermarks set checked_to = ?, horizon_id = ?, horizon_xmax = ?::text::xid8,
                                                horizon_xmin = ?::text::xid8, late_gaps = ?, updated_at = now()
                    where check_name = ?""")) {
                ps.setLong(1, checkedTo);
                ps.setLong(2, horizonId);
                ps.setString(3, Long.toString(horizonXmax));
                ps.setString(4, Long.toString(horizonXmin));
                ps.setArray(5, lateGaps == null ? null : c.createArrayOf("bigint", lateGaps));
                ps.setString(6, CHECK_NAME);
                ps.executeUpdate();
            }
        }
    }
}
