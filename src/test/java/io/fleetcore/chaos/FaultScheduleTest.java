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
    private static final Duration SLOT = Duration.ofSeconds(8);

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
    void faultsDoNotOverlapAndStartAfterTheWarmup() {
        List<Fault> faults = FaultSchedule.plan(5, 30, false, WARMUP, SLOT).faults();
        assertThat(faults).hasSize(30);
        assertThat(faults.get(0).at()).isGreaterThanOrEqualTo(WARMUP);
        for (int i = 1; i < faults.size(); i++) {
            Fault prev = faults.get(i - 1);
            assertThat(prev.at().plus(prev.hold())).isLessThan(faults.get(i).at());
            assertThat(faults.get(i).number()).isEqualTo(i + 1);
        }
        Fault last = faults.get(29);
        assertThat(last.at().plus(last.hold())).isLessThanOrEqualTo(WARMUP.plus(SLOT.multipliedBy(30)));
    }

    @Test
    void bothDownLastsLongEnoughToSeeWhetherAcksStop() {
        assertThat(FaultSchedule.plan(9, 60, false, WARMUP, Duration.ofSeconds(20)).faults().stream()
                .filter(f -> f.kind() == FaultKind.BOTH_DOWN))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.hold()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(12)));
    }

    @Test
    void holdsLeaveTimeToRecoverWithinTheSlot() {
        assertThat(FaultSchedule.plan(4, 60, true, WARMUP, SLOT).faults()).allSatisfy(f -> assertThat(f.hold())
                .isLessThanOrEqualTo(f.kind() == FaultKind.BOTH_DOWN ? Duration.ofSeconds(6) : Duration.ofMillis(4800)));
    }

    private static Set<FaultKind> kinds(List<Fault> faults) {
        return faults.stream().map(Fault::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class)));
    }
}
