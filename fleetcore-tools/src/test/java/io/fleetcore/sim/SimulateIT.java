package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.gateway.BackPressure;
import io.fleetcore.testing.RunningFleetcore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** simulate against a whole fleetcore on the real routes and PostgreSQL, then audit: nothing lost, nothing twice. */
class SimulateIT {

    @Test
    void jsonDevicesForAFewSecondsAuditClean() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            Path ledger = Path.of("target", "it-ledgers", "simulate-json-" + System.nanoTime() + ".csv");
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.jsonPort(), Simulator.Protocol.JSON,
                    50, 5, 0, Duration.ofSeconds(3), 0, ledger, Duration.ofSeconds(10), Duration.ofMillis(200),
                    Duration.ZERO, true, 1, Duration.ofSeconds(1));
            Simulator.Result result = new Simulator(settings, System.out).run();
            System.out.println(result.summary());

            assertThat(result.drained()).isTrue();
            assertThat(result.acked()).isGreaterThan(200).isEqualTo(result.sent());
            assertThat(result.refused()).isZero();
            assertThat(Files.readAllLines(ledger)).hasSize((int) result.acked());
            Audit.Result audit = Audit.run(ledger, fc.server().runtime().database().dataSource());
            assertThat(audit).isEqualTo(new Audit.Result(result.acked(), result.acked(), 0, 0));
            assertThat(fc.count("select count(*) from records")).isEqualTo(result.acked());
            assertThat(fc.count("select count(distinct device_uid) from records")).isEqualTo(50);
            assertThat(fc.count("select count(*) from records where io ? 'obd' and protocol = 'json'")).isEqualTo(result.acked());
        }
    }

    @Test
    void ratedRunSendsAboutTheAskedRecordCount() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            Path ledger = Path.of("target", "it-ledgers", "simulate-rate-" + System.nanoTime() + ".csv");
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.jsonPort(), Simulator.Protocol.JSON,
                    20, 1, 200, null, 300, ledger, Duration.ofSeconds(10), Duration.ofMillis(100),
                    Duration.ZERO, true, 1, Duration.ofSeconds(1));
            long start = System.nanoTime();
            Simulator.Result result = new Simulator(settings, System.out).run();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(result.acked()).isEqualTo(300);
            assertThat(seconds).as("300 records at 200/s").isBetween(1.2, 4.0);
            assertThat(Audit.run(ledger, fc.server().runtime().database().dataSource()))
                    .isEqualTo(new Audit.Result(300, 300, 0, 0));
        }
    }

    @Test
    void smallStoreQueuePausesSocketReadsAndLosesNothing() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.store.queue-capacity", "40",
                "fleetcore.store.batch-size", "10"))) {
            Path ledger = Path.of("target", "it-ledgers", "simulate-bp-" + System.nanoTime() + ".csv");
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.jsonPort(), Simulator.Protocol.JSON,
                    40, 10, 0, Duration.ofSeconds(3), 0, ledger, Duration.ofSeconds(20), Duration.ofMillis(100),
                    Duration.ZERO, true, 1, Duration.ofSeconds(1));
            Simulator.Result result = new Simulator(settings, System.out).run();
            BackPressure bp = (BackPressure) fc.server().runtime().beans().get("backPressure");

            assertThat(result.drained()).isTrue();
            assertThat(bp.pauses()).as("reads were paused").isPositive();
            assertThat(bp.pausedConnections()).as("and resumed").isZero();
            assertThat(fc.server().runtime().recordStore().queued()).isZero();
            assertThat(Audit.run(ledger, fc.server().runtime().database().dataSource()))
                    .isEqualTo(new Audit.Result(result.acked(), result.acked(), 0, 0));
        }
    }
}
