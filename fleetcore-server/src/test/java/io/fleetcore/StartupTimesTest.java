package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupTimesTest {

    @Test
    void summaryNamesEachPhaseInStartOrderWithItsMillis() {
        StartupTimes.record(StartupTimes.ROUTES, 2400);
        StartupTimes.record(StartupTimes.BROKER, 2950);
        StartupTimes.record(StartupTimes.FLYWAY, 830);
        StartupTimes.record(StartupTimes.EMBEDDED_POSTGRES, 2210);

        assertThat(StartupTimes.summary())
                .matches("started in \\d+ ms \\(JVM start to open gateways\\): embedded postgres 2210 ms, flyway 830 ms,"
                        + " broker 2950 ms, routes 2400 ms");
    }

    @Test
    void timeRecordsThePhaseAndReturnsItsValue() {
        assertThat(StartupTimes.time(StartupTimes.FLYWAY, () -> "migrated")).isEqualTo("migrated");
        assertThat(StartupTimes.summary()).containsPattern("flyway \\d+ ms");
    }
}
