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
 * <p>Progress is a {@link Horizon.Mark} in {@code check_watermarks}, so a record that commits late is never
 * skipped. Until the horizon has passed, the run re-reads rows above {@code checked_to} again; that is harmless
 * because findings are unique per (record, rule).
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

    public QualityChecker(DataSource dataSource, List<QualityRule> rules, int chunkSize, long maxPerRun,
                          CheckRuns runs, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.rules = List.copyOf(rules);
        this.chunkSize = chunkSize;
        this.maxPerRun = maxPerRun;
        this.runs = runs;
        this.meters = meters;
    }

    /** One tick: examines the records since the last run; returns how many findings were new. */
    public Result run(java.util.Date scheduledFireTime) throws SQLException {
        runs.record(CHECK_NAME, scheduledFireTime);
        try (Connection c = dataSource.getConnection()) {
            Map<String, RuleSettings> settings = QualitySettings.load(c);
            QualityRule.Context context = new QualityRule.Context(knownEventCodes(c));
            List<QualityRule> active = rules.stream()
                    .filter(r -> settings.containsKey(r.code()) && settings.get(r.code()).enabled()).toList();

            Horizon.Mark w = Watermark.load(c);
            Horizon.Snapshot now = Horizon.Snapshot.take(c, "records");
            long safeTo = w.visibleTo(now);

            // rows up to the old horizon are read again (late commits); only rows past it count against the limit
            long position = w.position();
            long examined = 0;
            long fresh = 0;
            long found = 0;
            while (position < now.maxId() && fresh < maxPerRun) {
                List<CheckedRecord> chunk = readChunk(c, position, now.maxId());
                if (chunk.isEmpty()) {
                    position = now.maxId();
                    break;
                }
                found += store(c, examine(chunk, active, settings, context));
                examined += chunk.size();
                fresh += chunk.stream().filter(r -> r.id() > w.horizonId()).count();
                position = chunk.size() < chunkSize ? now.maxId() : chunk.get(chunk.size() - 1).id();
            }
            long checkedTo = Math.min(safeTo, position);
            Watermark.save(c, checkedTo, position, now.xmax());
            meters.counter("fleetcore.quality.records.examined").increment(examined);
            meters.counter("fleetcore.quality.findings").increment(found);
            if (found > 0 || examined > 0) {
                LOG.info("quality: examined {} records up to id {}, {} new findings (watermark {})", examined, position, found, checkedTo);
            }
            return new Result(examined, found, checkedTo, position);
        }
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

    private List<CheckedRecord> readChunk(Connection c, long afterId, long upToId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select r.id, r.device_uid, r.fix_time, r.received_at, r.latitude, r.longitude, r.speed_kmh,
                       r.satellites, r.event_code, r.obd::text, p.fix_time, p.latitude, p.longitude
                from records r
                left join lateral (
                    select q.fix_time, q.latitude, q.longitude from records q
                    where q.device_uid = r.device_uid and q.fix_time < r.fix_time
                    order by q.fix_time desc limit 1) p on true
                where r.id > ? and r.id <= ?
                order by r.id
                limit ?""")) {
            ps.setLong(1, afterId);
            ps.setLong(2, upToId);
            ps.setInt(3, chunkSize);
            List<CheckedRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp prev = rs.getTimestamp(11);
                    out.add(new CheckedRecord(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getDouble(5), rs.getDouble(6),
                            (Double) rs.getObject(7), (Integer) rs.getObject(8), rs.getString(9), obd(rs.getString(10)),
                            prev == null ? null : new CheckedRecord.Previous(prev.toInstant(), rs.getDouble(12), rs.getDouble(13))));
                }
            }
            return out;
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

    private static Set<String> knownEventCodes(Connection c) throws SQLException {
        Set<String> codes = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select code from event_codes")) {
            while (rs.next()) {
                codes.add(rs.getString(1));
            }
        }
        return codes;
    }

    /** The check's stored progress. */
    static final class Watermark {

        private Watermark() {
        }

        static Horizon.Mark load(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into check_watermarks (check_name) values (?) on conflict (check_name) do nothing""")) {
                ps.setString(1, CHECK_NAME);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select checked_to, horizon_id, horizon_xmax::text::bigint from check_watermarks where check_name = ?")) {
                ps.setString(1, CHECK_NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Horizon.Mark(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
            }
        }

        static void save(Connection c, long checkedTo, long horizonId, long horizonXmax) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    update check_watermarks set checked_to = ?, horizon_id = ?, horizon_xmax = ?::text::xid8, updated_at = now()
                    where check_name = ?""")) {
                ps.setLong(1, checkedTo);
                ps.setLong(2, horizonId);
                ps.setString(3, Long.toString(horizonXmax));
                ps.setString(4, CHECK_NAME);
                ps.executeUpdate();
            }
        }
    }
}
