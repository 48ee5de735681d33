package io.fleetcore.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The integrity story in numbers. One instance per process, bound in the Camel registry as
 * {@code fleetcoreMetrics}; its Prometheus registry is the one {@code /observe/metrics} serves.
 * Names (Prometheus form): fleetcore_records_received_total{protocol}, fleetcore_records_stored_total,
 * fleetcore_records_dead_lettered_total, fleetcore_records_redelivered_total, fleetcore_records_parked_total,
 * fleetcore_frames_rejected_total{protocol,reason}, fleetcore_ack_latency_seconds, fleetcore_connections{protocol},
 * fleetcore_stage_seconds{stage} (where the ACK latency goes: store queue, batch, commit, ack; publish confirm).
 */
public final class FleetcoreMetrics {

    private final PrometheusMeterRegistry registry;
    private final Counter stored;
    private final Counter deadLettered;
    private final Counter redelivered;
    private final Counter parked;
    private final Timer ackLatency;
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();

    public FleetcoreMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public FleetcoreMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.stored = Counter.builder("fleetcore.records.stored").description("records committed to PostgreSQL (new rows)").register(registry);
        this.deadLettered = Counter.builder("fleetcore.records.dead.lettered").description("records published to the retry queue after a failed store").register(registry);
        this.redelivered = Counter.builder("fleetcore.records.redelivered").description("records stored from the retry queue").register(registry);
        this.parked = Counter.builder("fleetcore.records.parked").description("records moved to the parked queue").register(registry);
        this.ackLatency = Timer.builder("fleetcore.ack.latency").description("frame received to ACK released")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public void recordsReceived(String protocol, int n) {
        received.computeIfAbsent(protocol, p -> Counter.builder("fleetcore.records.received")
                .description("records decoded from devices").tag("protocol", p).register(registry)).increment(n);
    }

    public void recordsStored(int n) {
        stored.increment(n);
    }

    public void recordsDeadLettered(int n) {
        deadLettered.increment(n);
    }

    public void recordsRedelivered(int n) {
        redelivered.increment(n);
    }

    public void recordsParked(int n) {
        parked.increment(n);
    }

    public void frameRejected(String protocol, String reason) {
        Counter.builder("fleetcore.frames.rejected").description("frames refused by a decoder")
                .tag("protocol", protocol).tag("reason", reason).register(registry).increment();
    }

    /** An intact frame whose content can never be stored, kept in rejected_frames and ACKed (no refusal in its protocol). */
    public void frameKept(String protocol, String reason) {
        Counter.builder("fleetcore.frames.kept").description("unstorable frames kept in rejected_frames and ACKed")
                .tag("protocol", protocol).tag("reason", reason).register(registry).increment();
    }

    /** A connection closed at once because a limit was reached ({@code reason}: total, per-ip). */
    public void connectionRefused(String reason) {
        Counter.builder("fleetcore.connections.refused").description("connections closed at once: connection limit reached")
                .tag("reason", reason).register(registry).increment();
    }

    public void ackLatency(Duration latency) {
        ackLatency.record(latency);
    }

    /**
     * The time one stage of the ACK path took ({@code stage}: queue, batch, commit, ack of the record store,
     * confirm of a broker-first publish), as a histogram so a scrape before and after a load gives its p99.
     */
    public void stage(String stage, long nanos) {
        stages.computeIfAbsent(stage, s -> Timer.builder("fleetcore.stage").description("time spent in one stage of the ACK path")
                .tag("stage", s)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** +1 on connect, -1 on close. */
    public void connection(String protocol, int delta) {
        connections.computeIfAbsent(protocol, p -> {
            AtomicInteger gauge = new AtomicInteger();
            registry.gauge("fleetcore.connections", io.micrometer.core.instrument.Tags.of("protocol", p), gauge);
            return gauge;
        }).addAndGet(delta);
    }

    /** Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
