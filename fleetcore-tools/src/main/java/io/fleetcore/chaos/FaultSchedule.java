package io.fleetcore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded fault plan: the same seed and settings always give the same faults, at the same offsets from
 * the start of the load, held for the same time. Faults follow each other with a recovery gap between,
 * so they never overlap; every enabled kind appears at least once when there are enough faults.
 */
public final class FaultSchedule {

    /** One planned fault: injected {@code at} after the load starts, healed {@code hold} later. */
    public record Fault(int number, FaultKind kind, Duration at, Duration hold) {
    }

    private final List<Fault> faults;
    private final Duration end;

    private FaultSchedule(List<Fault> faults, Duration end) {
        this.faults = List.copyOf(faults);
        this.end = end;
    }

    /**
     * @param warmup load before the first fault
     * @param gap    mean recovery time between the end of one fault and the start of the next (seeded
     *               between 0.5 and 1.5 times this); a kill gets extra time for fleetcore to start again
     */
    public static FaultSchedule plan(long seed, int count, boolean restartServices, Duration warmup, Duration gap) {
        if (count < 0) {
            throw new IllegalArgumentException("faults must be >= 0");
        }
        Random random = new Random(seed);
        List<FaultKind> kinds = Arrays.stream(FaultKind.values())
                .filter(k -> restartServices || !k.serviceRestart())
                .toList();
        List<FaultKind> chosen = new ArrayList<>();
        while (chosen.size() < count) {
            List<FaultKind> round = new ArrayList<>(kinds);
            Collections.shuffle(round, random);
            chosen.addAll(round.subList(0, Math.min(round.size(), count - chosen.size())));
        }
        List<Fault> faults = new ArrayList<>(count);
        long at = warmup.toMillis();
        for (int i = 0; i < count; i++) {
            FaultKind kind = chosen.get(i);
            long hold = holdMillis(kind, random);
            faults.add(new Fault(i + 1, kind, Duration.ofMillis(at), Duration.ofMillis(hold)));
            long recovery = (long) (gap.toMillis() * (0.5 + random.nextDouble()));
            at += hold + recovery + (kind == FaultKind.KILL ? RESTART_ALLOWANCE_MS : 0);
        }
        return new FaultSchedule(faults, Duration.ofMillis(at));
    }

    /** What a fresh fleetcore takes to listen again after a kill, roughly, on a busy 2-core machine. */
    static final long RESTART_ALLOWANCE_MS = 8000;

    /**
     * How long a fault lasts. Database outages outlast fleetcore.db.connection-timeout (3 s) so records
     * take the retry queue; both services down outlasts the devices' ACK timeout so they resend into it.
     */
    private static long holdMillis(FaultKind kind, Random random) {
        long min;
        long max;
        switch (kind) {
            case KILL -> { min = 200; max = 2000; }
            case PAUSE -> { min = 1000; max = 8000; }
            case DB_CUT, DB_BLACKHOLE -> { min = 4000; max = 12000; }
            case BROKER_CUT, BROKER_BLACKHOLE -> { min = 2000; max = 10000; }
            case BOTH_DOWN -> { min = 6000; max = 15000; }
            default -> { min = 0; max = 1000; }
        }
        return min + (long) (random.nextDouble() * (max - min));
    }

    /** When the last fault's recovery ends, measured from the start of the load. */
    public Duration end() {
        return end;
    }

    public List<Fault> faults() {
        return faults;
    }

    /** The plan as lines, for the run's log. */
    public List<String> describe() {
        return faults.stream()
                .map(f -> String.format(java.util.Locale.ROOT, "#%-3d at %6.1fs hold %4.1fs  %s",
                        f.number(), f.at().toMillis() / 1000.0, f.hold().toMillis() / 1000.0, f.kind().label()))
                .toList();
    }
}
