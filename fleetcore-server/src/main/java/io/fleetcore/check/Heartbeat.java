package io.fleetcore.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats: every tick asks every probe; the answers feed the readiness health checks, and a change of a
 * service's status (UP → DOWN or back) raises one alert and adds one row to {@code service_status}. The last
 * known status is kept in memory (the database may be the service that is down); transitions that cannot be
 * written while PostgreSQL is down are written once it is back, in order.
 */
public final class Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    static final String CHECK_NAME = "heartbeat";

    private final List<Probe> probes;
    private final DataSource dataSource;
    private final AlertPublisher alerts;
    private final CheckRuns runs;
    private final Duration timeout;
    private final Duration maxAge;
    /** newest answer per service, from a tick or a health check: what readiness reports */
    private final Map<String, ProbeResult> latest = new ConcurrentHashMap<>();
    /** status per service as of the last tick: what a transition is measured against */
    private final Map<String, ProbeResult> lastTick = new ConcurrentHashMap<>();
    private final List<ProbeResult> unwritten = new ArrayList<>();

    public Heartbeat(List<Probe> probes, DataSource dataSource, AlertPublisher alerts, CheckRuns runs,
                     Duration timeout, Duration maxAge) {
        this.probes = List.copyOf(probes);
        this.dataSource = dataSource;
        this.alerts = alerts;
        this.runs = runs;
        this.timeout = timeout;
        this.maxAge = maxAge;
    }

    public List<Probe> probes() {
        return probes;
    }

    /** One tick: probes everything, publishes transitions; returns the answers. */
    public synchronized List<ProbeResult> run(Date scheduledFireTime) {
        runs.record(CHECK_NAME, scheduledFireTime);
        List<ProbeResult> results = new ArrayList<>();
        for (Probe p : probes) {
            results.add(ask(p));
        }
        writeTransitions();
        return results;
    }

    /**
     * Asks one service's probe now, outside the schedule (e.g. the queue policies right after the broker
     * topology was declared), with the same transitions and alerts as a tick; empty for a service not watched.
     */
    public synchronized Optional<ProbeResult> probeNow(String service) {
        Optional<ProbeResult> r = probes.stream().filter(p -> p.name().equals(service)).findFirst().map(this::ask);
        writeTransitions();
        return r;
    }

    private ProbeResult ask(Probe p) {
        ProbeResult r = p.probe(timeout);
        latest.put(r.service(), r);
        ProbeResult before = lastTick.put(r.service(), r);
        boolean changed = before == null ? !r.up() : before.up() != r.up();
        if (changed) {
            alerts.publish(Alert.service(r.up() ? "up" : "down", r.service(), r.detail(), runs.instance()));
        }
        if (before == null || changed) {
            unwritten.add(r);
        }
        return r;
    }

    /**
     * The service's latest answer for the health checks; when no tick answered within the max age (a
     * clustered scheduler may run the ticks on another instance) the probe is asked now.
     */
    public ProbeResult current(Probe probe) {
        ProbeResult r = latest.get(probe.name());
        if (r != null && Duration.between(r.at(), Instant.now()).compareTo(maxAge) <= 0) {
            return r;
        }
        ProbeResult fresh = probe.probe(timeout);
        latest.putIfAbsent(probe.name(), fresh);
        return fresh;
    }

    public Optional<ProbeResult> latest(String service) {
        return Optional.ofNullable(latest.get(service));
    }

    private void writeTransitions() {
        if (unwritten.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            while (!unwritten.isEmpty()) {
                ProbeResult r = unwritten.get(0);
                if (!sameAsRecorded(c, r)) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "insert into service_status (service, status, detail, instance, changed_at) values (?, ?, ?, ?, ?)")) {
                        ps.setString(1, r.service());
                        ps.setString(2, r.status());
                        ps.setString(3, r.detail());
                        ps.setString(4, runs.instance());
                        ps.setTimestamp(5, Timestamp.from(r.at()));
                        ps.executeUpdate();
                    }
                }
                unwritten.remove(0);
            }
        } catch (SQLException e) {
            LOG.warn("{} service status changes not written yet (written once PostgreSQL answers): {}", unwritten.size(), e.getMessage());
        }
    }

    /** The table already says so (another instance recorded it, or this instance before a restart). */
    private static boolean sameAsRecorded(Connection c, ProbeResult r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select status from service_status where service = ? order by id desc limit 1")) {
            ps.setString(1, r.service());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equals(r.status());
            }
        }
    }
}
