package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.metrics.FleetcoreMetrics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-stage breakdown bench prints comes from fleetcore's own histograms, scraped before and after a run. */
class StageScrapeTest {

    @Test
    void countMeanAndP99OfEachStageBetweenTwoScrapes() {
        FleetcoreMetrics metrics = new FleetcoreMetrics();
        metrics.stage("commit", 50_000_000); // before the run: not counted
        Map<String, StageScrape.Series> before = StageScrape.parse(metrics.scrape());
        for (int i = 0; i < 99; i++) {
            metrics.stage("commit", 2_000_000);
            metrics.stage("queue", 1_000_000);
        }
        metrics.stage("commit", 400_000_000);
        metrics.ackLatency(Duration.ofMillis(30));

        Map<String, Map<String, Object>> stages = StageScrape.between(before, StageScrape.parse(metrics.scrape()));

        assertThat(stages).containsOnlyKeys("commit", "queue", "server");
        assertThat(stages.get("commit").get("count")).isEqualTo(100L);
        assertThat((double) stages.get("commit").get("mean_ms")).isEqualTo(5.98);
        // 99 of 100 took 2 ms: the p99 is the bucket bound just above 2 ms, far below the 400 ms outlier
        assertThat((double) stages.get("commit").get("p99_ms")).isBetween(2.0, 3.0);
        assertThat(stages.get("queue").get("count")).isEqualTo(99L);
        assertThat((double) stages.get("server").get("p99_ms")).isBetween(30.0, 40.0);
    }
}
