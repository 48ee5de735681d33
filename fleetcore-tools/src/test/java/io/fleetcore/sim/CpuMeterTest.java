package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading a thread's CPU and what it does from its {@code /proc} stat text. */
class CpuMeterTest {

    /** A Camel thread's name holds spaces and parentheses: the fields after it must still be found. */
    private static final String CAMEL_THREAD = "4711 (Camel (camel-1) t) S 4700 4700 1 0 -1 1077936192 902 0 0 0 "
            + "1234 567 0 0 20 0 60 0 3801 6057234432 107811 18446744073709551615 1 1 0 0 0 0 0 4096 17612 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void readsUserAndSystemTimeAfterACommandNameWithSpacesAndParentheses() {
        assertThat(CpuMeter.command(CAMEL_THREAD)).isEqualTo("Camel (camel-1) t");
        assertThat(CpuMeter.cpuSecondsOf(CAMEL_THREAD)).isEqualTo((1234 + 567) / 100.0);
    }

    @Test
    void tellsCompilerAndCollectorThreadsFromTheRest() {
        assertThat(CpuMeter.kind("C2 CompilerThre")).isEqualTo(CpuMeter.Kind.JIT);
        assertThat(CpuMeter.kind("C1 CompilerThre")).isEqualTo(CpuMeter.Kind.JIT);
        assertThat(CpuMeter.kind("GC Thread#3")).isEqualTo(CpuMeter.Kind.GC);
        assertThat(CpuMeter.kind("G1 Conc#0")).isEqualTo(CpuMeter.Kind.GC);
        assertThat(CpuMeter.kind("G1 Refine#0")).isEqualTo(CpuMeter.Kind.GC);
        assertThat(CpuMeter.kind("DefaultQuartzSc")).isEqualTo(CpuMeter.Kind.CHECKS);
        assertThat(CpuMeter.kind("fleetcore-quart")).isEqualTo(CpuMeter.Kind.CHECKS);
        assertThat(CpuMeter.kind("Camel (camel-1)")).isEqualTo(CpuMeter.Kind.OTHER);
        assertThat(CpuMeter.kind("fleetcore-store")).isEqualTo(CpuMeter.Kind.OTHER);
    }
}
