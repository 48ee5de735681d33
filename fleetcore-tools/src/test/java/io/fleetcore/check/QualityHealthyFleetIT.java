package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.Simulator;
import io.fleetcore.testing.RunningFleetcore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a 30 s load of 200 simulated Teltonika devices produced 490,000 findings (every periodic record's
 * event IO id 0 was an "unknown event code") and an integrity alert for every device. Normal traffic of a
 * healthy fleet must give (almost) no findings: here below 0.1 % of the records, and no device alert.
 */
class QualityHealthyFleetIT {

    @Test
    void aSimulatedHealthyTeltonikaFleetGivesFindingsForLessThanATenthOfAPercentOfItsRecords() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                // the test runs the checks itself
                "fleetcore.quality.cron", "0 0 0 1 1 ? 2099"))) {
            Path ledger = Path.of("target", "it-ledgers", "healthy-teltonika-" + System.nanoTime() + ".csv");
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", fc.teltonikaPort(), Simulator.Protocol.TELTONIKA,
                    100, 5, 0, null, 3000, ledger, Duration.ofSeconds(10), Duration.ofMillis(300),
                    Duration.ZERO, true, 1, Duration.ofSeconds(10));
            Simulator.Result result = new Simulator(settings, System.out).run();
            assertThat(result.acked()).isGreaterThanOrEqualTo(3000);
            long records = fc.awaitCount("select count(*) from records where protocol = 'teltonika'", result.acked());

            Map<String, Object> beans = fc.server().runtime().beans();
            QualityChecker checker = (QualityChecker) beans.get("qualityChecker");
            QualityChecker.Result run = checker.run(new Date());
            assertThat(run.scannedTo()).isEqualTo(maxId(fc));
            assertThat(run.examined()).as("every record examined").isEqualTo(records);
            long findings = fc.count("select count(*) from quality_findings");
            System.out.printf("healthy teltonika fleet: %d records, %d findings%n", records, findings);
            assertThat(fc.count("select count(*) from quality_findings where rule_code = 'unknown_event_code'")).isZero();
            assertThat(findings * 1000).as(findings + " findings of " + records + " records").isLessThan(records);

            ((DeviceIntegrity) beans.get("deviceIntegrity")).run();
            assertThat(fc.count("select count(*) from device_alerts where closed_at is null")).isZero();
        }
    }

    static long maxId(RunningFleetcore fc) throws Exception {
        return fc.count("select coalesce(max(id), 0) from records");
    }
}
