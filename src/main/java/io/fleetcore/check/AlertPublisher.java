package io.fleetcore.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fleetcore.store.Horizon;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to the log (always), to metrics ({@code fleetcore_alerts_total{kind,state}}) and into table
 * {@code events}, the source of the events feed: the routes on that feed deliver them (exchange
 * {@code fleetcore.events}, the webhook route, whatever an operator adds). When the database cannot take an alert
 * (PostgreSQL is what went down), it waits in a bounded backlog and is written, in order, by the next
 * {@link #flush()} (the heartbeat calls it every tick); a full backlog drops the oldest alert, counted as
 * {@code fleetcore_alerts_dropped_total}. Never blocks on anything but one short insert, never throws.
 */
public final class AlertPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);

    private final DataSource dataSource;
    private final int backlogCapacity;
    private final MeterRegistry meters;
    private final Deque<Alert> backlog = new ArrayDeque<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public AlertPublisher(DataSource dataSource, int backlogCapacity, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.backlogCapacity = Math.max(1, backlogCapacity);
        this.meters = meters;
    }

    public void publish(Alert alert) {
        boolean bad = alert.state().equals("open") || alert.state().equals("down");
        if (bad && alert.critical()) {
            LOG.error("ALERT {}", alert.summary());
        } else if (bad) {
            LOG.warn("ALERT {}", alert.summary());
        } else {
            LOG.info("ALERT {}", alert.summary());
        }
        meters.counter("fleetcore.alerts", "kind", alert.kind(), "state", alert.state()).increment();
        synchronized (this) {
            if (backlog.size() >= backlogCapacity) {
                Alert dropped = backlog.removeFirst();
                meters.counter("fleetcore.alerts.dropped").increment();
                LOG.warn("alert backlog full: {} not written to events", dropped.summary());
            }
            backlog.addLast(alert);
        }
        flush();
    }

    /** Writes the waiting alerts to {@code events}, oldest first; keeps them when the database refuses. */
    public synchronized void flush() {
        if (backlog.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Horizon.claimTransactionId(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into events (kind, state, subject, payload, created_at) values (?, ?, ?, ?::jsonb, ?)")) {
                for (Alert a : backlog) {
                    ps.setString(1, a.kind());
                    ps.setString(2, a.state());
                    ps.setString(3, a.subject());
                    ps.setString(4, json.writeValueAsString(a));
                    ps.setTimestamp(5, Timestamp.from(a.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            backlog.clear();
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            LOG.debug("{} alert(s) wait for the database: {}", backlog.size(), e.getMessage());
        }
    }

    /** Alerts not written to {@code events} yet. */
    public synchronized int waiting() {
        return backlog.size();
    }
}
