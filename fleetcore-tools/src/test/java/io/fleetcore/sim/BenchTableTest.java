package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench's printed table. */
class BenchTableTest {

    @Test
    void ratiosKeepTwoDecimalsSoTheyAreNotRoundedAcrossAGoal() {
        assertThat(Bench.tableRow("broker-first / store-first, same configuration", 0.77, "x")).endsWith(" 0.77 x");
        assertThat(Bench.tableRow("(c) fleetcore end to end", 18230.26, "rec/s")).endsWith(" 18230.3 rec/s");
    }
}
