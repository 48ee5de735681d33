package io.fleetcore.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code summarize-metrics} of {@code GET /api/v1/metrics/summary} (the fleet page's panel): the
 * counters since start from fleetcore's meters: records received and stored, dead-lettered, parked, frames
 * rejected, and the ACK latency p99 (upper bound of the histogram bucket holding the 99th percentile). The
 * page turns two successive counts into an ingest rate.
 */
public final class MetricsSummary implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry;

    public MetricsSummary(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ObjectNode doc = JSON.createObjectNode()
                .put("records_received_total", sum("fleetcore.records.received"))
                .put("records_stored_total", sum("fleetcore.records.stored"))
                .put("records_dead_lettered_total", sum("fleetcore.records.dead.lettered"))
                .put("records_parked_total", sum("fleetcore.records.parked"))
                .put("frames_rejected_total", sum("fleetcore.frames.rejected"));
        Double p99 = ackP99Millis();
        if (p99 == null) {
            doc.putNull("ack_p99_ms");
        } else {
            doc.put("ack_p99_ms", p99);
        }
        doc.put("sampled_at", java.time.Instant.now().toString());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(JSON.writeValueAsString(doc));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private long sum(String counter) {
        return Math.round(registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum());
    }

    private Double ackP99Millis() {
        Timer timer = registry.find("fleetcore.ack.latency").timer();
        if (timer == null || timer.count() == 0) {
            return null;
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double wanted = 0.99 * snapshot.count();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            if (bucket.count() >= wanted) {
                return bucket.bucket(TimeUnit.MILLISECONDS);
            }
        }
        return snapshot.max(TimeUnit.MILLISECONDS);
    }
}
