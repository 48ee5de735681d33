package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When the bench's server warm-up ends: every measured shape has had a slice, and then each shape's latest slice
 * had the JIT under {@link Bench#JIT_SETTLED}, or time is up.
 */
class BenchWarmUpTest {

    static final Duration SLICE = Duration.ofSeconds(15);
    static final Duration MAX = Duration.ofSeconds(180);
    static final double NOT_RUN = Double.NaN;

    @Test
    void everyShapeGetsItsSliceEvenWhenTheJitIsQuiet() {
        assertThat(Bench.warmUpDone(new double[] {0.0, NOT_RUN, NOT_RUN, NOT_RUN}, seconds(15), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.0, 0.0, 0.0, NOT_RUN}, seconds(45), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.0, 0.0, 0.0, 0.05}, seconds(60), SLICE, MAX)).isTrue();
    }

    @Test
    void aShapeStillCompilingKeepsItGoingEvenWhenTheOthersAreQuiet() {
        // (d)'s one record per packet still compiling while the pipeline shapes are warm
        assertThat(Bench.warmUpDone(new double[] {0.02, 0.03, 0.04, 0.45}, seconds(60), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.02, 0.03, 0.04, Bench.JIT_SETTLED}, seconds(120), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.02, 0.03, 0.04, 0.09}, seconds(120), SLICE, MAX)).isTrue();
    }

    @Test
    void timeUpEndsItOnceEveryShapeHasRun() {
        assertThat(Bench.warmUpDone(new double[] {0.30, 0.30, 0.30, 0.30}, seconds(166), SLICE, MAX)).isTrue();
        assertThat(Bench.warmUpDone(new double[] {0.30, 0.30, 0.30, 0.30}, seconds(150), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.30, NOT_RUN}, seconds(200), SLICE, MAX)).isFalse();
    }

    @Test
    void aSingleShapeOnTheQuickPlanStopsOnceTimeIsUp() {
        assertThat(Bench.warmUpDone(new double[] {0.5}, seconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))).isFalse();
        assertThat(Bench.warmUpDone(new double[] {0.5}, seconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2))).isTrue();
    }

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }
}
