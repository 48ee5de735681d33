package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Alerts never block their caller: with the database away they wait in a bounded backlog, the oldest dropped and counted. */
class AlertPublisherTest {

    @Test
    void aDeadDatabaseNeitherBlocksNorGrowsTheBacklogWithoutBound() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + TestServices.freePort() + "/nothing");
        config.setUsername("postgres");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource dead = new HikariDataSource(config)) {
            AlertPublisher alerts = new AlertPublisher(dead, 2, "", meters);
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                alerts.publish(Alert.device("open", "dev-" + i, "null_island", 5, false, "test"));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("one bounded connection attempt per alert").isLessThan(Duration.ofSeconds(5));
            assertThat(meters.counter("fleetcore.alerts", "kind", "device", "state", "open").count()).isEqualTo(5);
            assertThat(alerts.waiting()).isEqualTo(2);
            assertThat(meters.counter("fleetcore.alerts.dropped").count()).isEqualTo(3);
        }
    }
}
