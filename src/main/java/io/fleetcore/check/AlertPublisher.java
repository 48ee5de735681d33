package io.fleetcore.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to every channel: the log (always), metrics ({@code fleetcore_alerts_total{kind,state}}) and,
 * when {@code fleetcore.alert.webhook} is set, an HTTP POST of the alert as JSON. The webhook is fed from a
 * bounded queue by one background thread with retries and back-off, so a slow or dead receiver never
 * blocks a check, let alone ingest; when the queue is full the alert is still logged and counted, and the
 * POST is dropped (counted as {@code fleetcore_alerts_webhook_dropped_total}).
 */
public final class AlertPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);

    private final URI webhook;
    private final int retries;
    private final Duration retryDelay;
    private final MeterRegistry meters;
    private final BlockingQueue<Alert> queue;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Thread sender;
    private volatile boolean closed;

    public AlertPublisher(String webhook, int queueCapacity, int retries, Duration retryDelay, MeterRegistry meters) {
        this.webhook = webhook == null || webhook.isBlank() ? null : URI.create(webhook.trim());
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (this.webhook != null) {
            sender = new Thread(this::sendLoop, "fleetcore-alert-webhook");
            sender.setDaemon(true);
            sender.start();
        } else {
            sender = null;
        }
    }

    /** Never blocks, never throws. */
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
        if (webhook != null && !queue.offer(alert)) {
            meters.counter("fleetcore.alerts.webhook.dropped").increment();
            LOG.warn("alert webhook queue full: not posting {}", alert.summary());
        }
    }

    private void sendLoop() {
        while (!closed) {
            Alert alert;
            try {
                alert = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (alert != null) {
                post(alert);
            }
        }
    }

    private void post(Alert alert) {
        Duration delay = retryDelay;
        for (int attempt = 1; attempt <= retries + 1 && !closed; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(alert))).build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    meters.counter("fleetcore.alerts.webhook.sent").increment();
                    return;
                }
                LOG.warn("alert webhook answered {} (attempt {}) for {}", status, attempt, alert.summary());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("alert webhook failed (attempt {}) for {}: {}", attempt, alert.summary(), e.toString());
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = delay.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : delay.multipliedBy(2);
        }
        meters.counter("fleetcore.alerts.webhook.failed").increment();
        LOG.error("alert webhook gave up on {}", alert.summary());
    }

    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            sender.interrupt();
        }
    }
}
