package io.fleetcore.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcore.feed.FeedItem;
import io.fleetcore.feed.FeedSource;
import io.fleetcore.store.Horizon;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to the log (always), to metrics ({@code fleetcore_alerts_total{kind,state}}) and into table
 * {@code events}, the source of the events feed: the routes on that feed deliver them (exchange
 * {@code fleetcore.events}, the webhook route, whatever an operator adds). When the database cannot take an alert
 * (PostgreSQL is what went down), the alert is handed at once to {@code fleetcore.alert.unstored-uri} (the webhook
 * route posts it, best effort, so "database down" is heard while it is down), waits in a bounded backlog and is
 * written, in order and marked {@code "stored_late": true}, by the next {@link #flush()} (the heartbeat calls it
 * every tick); a full backlog drops the oldest alert, counted as {@code fleetcore_alerts_dropped_total}. Never
 * blocks on anything but one short insert, never throws.
 */
public final class AlertPublisher implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);

    private final DataSource dataSource;
    private final int backlogCapacity;
    private final MeterRegistry meters;
    private final String unstoredUri;
    private final Deque<Alert> backlog = new ArrayDeque<>();
    private int handedOn;
    private CamelContext camelContext;
    private ProducerTemplate template;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** {@code unstoredUri}: where alerts go that the database cannot take now (empty: nowhere). */
    public AlertPublisher(DataSource dataSource, int backlogCapacity, String unstoredUri, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.unstoredUri = unstoredUri == null ? "" : unstoredUri.trim();
        this.backlogCapacity = Math.max(1, backlogCapacity);
        this.meters = meters;
    }

    public void publish(Alert alert) {
        boolean bad = alert.state().equals("open") || alert.state().equals("down") || alert.state().equals("kept");
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
                handedOn = Math.max(0, handedOn - 1);
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
                int i = 0;
                for (Alert a : backlog) {
                    ps.setString(1, a.kind());
                    ps.setString(2, a.state());
                    ps.setString(3, a.subject());
                    ps.setString(4, json(a, i++ < handedOn));
                    ps.setTimestamp(5, Timestamp.from(a.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            backlog.clear();
            handedOn = 0;
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            LOG.debug("{} alert(s) wait for the database: {}", backlog.size(), e.getMessage());
            handOn();
        }
    }

    private String json(Alert alert, boolean storedLate) throws java.io.IOException {
        ObjectNode node = json.valueToTree(alert);
        if (storedLate) {
            node.put("stored_late", true);
        }
        return json.writeValueAsString(node);
    }

    /** Alerts not handed on yet go to the unstored-alerts endpoint, once each. */
    private void handOn() {
        List<Alert> waiting = new ArrayList<>(backlog);
        for (Alert a : waiting.subList(handedOn, waiting.size())) {
            handedOn++;
            if (unstoredUri.isEmpty() || camelContext == null) {
                continue;
            }
            try {
                if (template == null) {
                    template = camelContext.createProducerTemplate();
                }
                ObjectNode node = json.valueToTree(a);
                node.put("version", FeedSource.VERSION);
                template.sendBody(unstoredUri, new FeedItem(0, a.kind() + "." + a.state(), a.subject(), a.at(),
                        json.writeValueAsBytes(node)));
            } catch (Exception e) {
                LOG.warn("alert {} not handed on while the database is away: {}", a.summary(), e.getMessage());
            }
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Alerts not written to {@code events} yet. */
    public synchronized int waiting() {
        return backlog.size();
    }
}
