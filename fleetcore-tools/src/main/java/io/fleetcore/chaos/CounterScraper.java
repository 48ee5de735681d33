package io.fleetcore.chaos;

import io.fleetcore.sim.MetricsEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads fleetcore's integrity counters from its Prometheus endpoint every second and adds them up across
 * restarts (a counter that went down belongs to a new process): shows which paths the faults drove records
 * through (dead-lettered, redelivered, parked).
 */
final class CounterScraper implements AutoCloseable {

    static final List<String> COUNTERS = List.of("fleetcore_records_stored_total",
            "fleetcore_records_dead_lettered_total", "fleetcore_records_redelivered_total",
            "fleetcore_records_parked_total");

    private final MetricsEndpoint endpoint;
    private final Map<String, Double> last = new LinkedHashMap<>();
    private final Map<String, Double> total = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-metrics");
        t.setDaemon(true);
        return t;
    });

    CounterScraper(int managementPort) {
        this.endpoint = new MetricsEndpoint(managementPort, Duration.ofMillis(800));
        COUNTERS.forEach(c -> total.put(c, 0.0));
    }

    void start() {
        timer.scheduleWithFixedDelay(this::scrape, 1, 1, TimeUnit.SECONDS);
    }

    /** One scrape now (also the last one before fleetcore stops for good). */
    void scrape() {
        endpoint.scrape().ifPresent(this::add); // none while fleetcore is down, paused or starting: the next one catches up
    }

    synchronized void add(String prometheusText) {
        Map<String, Double> now = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            for (String c : COUNTERS) {
                if (line.startsWith(c + " ") || line.startsWith(c + "{")) {
                    now.merge(c, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        now.forEach((c, v) -> {
            double before = last.getOrDefault(c, 0.0);
            total.merge(c, v >= before ? v - before : v, Double::sum);
            last.put(c, v);
        });
    }

    /** Counters summed over every fleetcore process of the run (as seen by the last scrape of each). */
    synchronized Map<String, Long> totals() {
        Map<String, Long> out = new LinkedHashMap<>();
        total.forEach((c, v) -> out.put(c, Math.round(v)));
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
