package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Alerts never block their caller: a dead webhook fills the bounded queue, further POSTs are dropped and counted. */
class AlertPublisherTest {

    @Test
    void aDeadWebhookNeitherBlocksNorGrowsWithoutBound() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String dead = "http://127.0.0.1:" + TestServices.freePort() + "/alerts";
        try (AlertPublisher alerts = new AlertPublisher(dead, 2, 5, Duration.ofSeconds(1), meters)) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                alerts.publish(Alert.device("open", "dev-" + i, "null_island", 5, false, "test"));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(meters.counter("fleetcore.alerts", "kind", "device", "state", "open").count()).isEqualTo(10);
            // at most one being retried plus two waiting: the other seven or eight are dropped, not queued
            assertThat(meters.counter("fleetcore.alerts.webhook.dropped").count()).isBetween(7.0, 8.0);
            assertThat(meters.counter("fleetcore.alerts.webhook.sent").count()).isZero();
        }
    }

    @Test
    void withoutAWebhookAlertsAreOnlyLoggedAndCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AlertPublisher alerts = new AlertPublisher("", 2, 5, Duration.ofSeconds(1), meters)) {
            alerts.publish(Alert.service("down", "postgresql", "refused", "test"));
            alerts.publish(Alert.service("up", "postgresql", "ok", "test"));
        }
        assertThat(meters.counter("fleetcore.alerts", "kind", "service", "state", "down").count()).isEqualTo(1);
        assertThat(meters.counter("fleetcore.alerts", "kind", "service", "state", "up").count()).isEqualTo(1);
        assertThat(meters.counter("fleetcore.alerts.webhook.dropped").count()).isZero();
    }
}
