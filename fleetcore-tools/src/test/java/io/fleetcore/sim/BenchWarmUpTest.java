package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the bench's server warm-up ends: every measured shape first, then until the JIT settled or time is up. */
class BenchWarmUpTest {

    static final Duration SLICE = Duration.ofSeconds(15);
    static final Duration MAX = Duration.ofSeconds(180);

    @Test
    void everyShapeGetsItsSliceEvenWhenTheJitIsQuiet() {
        assertThat(Bench.warmUpDone(1, 4, 0.0, seconds(15), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(3, 4, 0.0, seconds(45), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(4, 4, 0.0, seconds(60), SLICE, MAX)).isTrue();
    }

    @Test
    void goesOnWhileTheJitIsBusyUntilTheNextSliceWouldEndPastTheMaximum() {
        assertThat(Bench.warmUpDone(4, 4, 0.30, seconds(60), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(9, 4, Bench.JIT_SETTLED, seconds(135), SLICE, MAX)).isFalse();
        assertThat(Bench.warmUpDone(10, 4, 0.30, seconds(166), SLICE, MAX)).isTrue();
        assertThat(Bench.warmUpDone(5, 4, 0.09, seconds(75), SLICE, MAX)).isTrue();
    }

    @Test
    void aSingleShapeOnTheQuickPlanStopsOnceTimeIsUp() {
        assertThat(Bench.warmUpDone(1, 1, 0.5, seconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))).isFalse();
        assertThat(Bench.warmUpDone(2, 1, 0.5, seconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2))).isTrue();
    }

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }
}
