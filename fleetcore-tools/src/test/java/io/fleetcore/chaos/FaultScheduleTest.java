package io.fleetcore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.chaos.FaultSchedule.Fault;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final Duration WARMUP = Duration.ofSeconds(10);
    private static final Duration SLOT = Duration.ofSeconds(4);

    @Test
    void sameSeedSamePlan() {
        assertThat(FaultSchedule.plan(1, 30, false, WARMUP, SLOT).faults())
                .isEqualTo(FaultSchedule.plan(1, 30, false, WARMUP, SLOT).faults());
        assertThat(FaultSchedule.plan(1, 30, false, WARMUP, SLOT).faults())
                .isNotEqualTo(FaultSchedule.plan(2, 30, false, WARMUP, SLOT).faults());
    }

    @Test
    void everyKindAtLeastOnceAndNoServiceRestartsUnlessAsked() {
        Set<FaultKind> kinds = kinds(FaultSchedule.plan(3, 7, false, WARMUP, SLOT).faults());
        assertThat(kinds).isEqualTo(EnumSet.complementOf(EnumSet.of(FaultKind.PG_RESTART, FaultKind.RABBIT_RESTART)));

        assertThat(kinds(FaultSchedule.plan(3, 30, true, WARMUP, SLOT).faults())).isEqualTo(EnumSet.allOf(FaultKind.class));
    }

    @Test
    void faultsDoNotOverlapAndLeaveTimeToRecover() {
        FaultSchedule plan = FaultSchedule.plan(5, 30, false, WARMUP, SLOT);
        List<Fault> faults = plan.faults();
        assertThat(faults).hasSize(30);
        assertThat(faults.get(0).at()).isEqualTo(WARMUP);
        for (int i = 1; i < faults.size(); i++) {
            Fault prev = faults.get(i - 1);
            Duration recovery = faults.get(i).at().minus(prev.at().plus(prev.hold()));
            assertThat(recovery).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6 + 8));
            if (prev.kind() == FaultKind.KILL) {
                assertThat(recovery).isGreaterThanOrEqualTo(Duration.ofSeconds(2 + 8));
            }
            assertThat(faults.get(i).number()).isEqualTo(i + 1);
        }
        Fault last = faults.get(29);
        assertThat(plan.end()).isGreaterThan(last.at().plus(last.hold()));
    }

    @Test
    void outagesLastLongEnoughForTheirPoint() {
        List<Fault> faults = FaultSchedule.plan(9, 60, false, WARMUP, SLOT).faults();
        // both down: longer than the devices' 5 s ACK timeout, so they resend into the outage
        assertThat(faults.stream().filter(f -> f.kind() == FaultKind.BOTH_DOWN)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.hold()).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(15)));
        // database outages: longer than fleetcore.db.connection-timeout (3 s), so records take the retry queue
        assertThat(faults.stream().filter(f -> f.kind() == FaultKind.DB_CUT || f.kind() == FaultKind.DB_BLACKHOLE))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.hold()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(12)));
    }

    private static Set<FaultKind> kinds(List<Fault> faults) {
        return faults.stream().map(Fault::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class)));
    }
}
