package io.fleetcore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded fault plan: the same seed and settings always give the same faults, at the same offsets from
 * the start of the load, held for the same time. Each fault gets a slot of its own, so faults never
 * overlap; every enabled kind appears at least once when there are enough faults.
 */
public final class FaultSchedule {

    /** One planned fault: injected {@code at} after the load starts, healed {@code hold} later. */
    public record Fault(int number, FaultKind kind, Duration at, Duration hold) {
    }

    private final List<Fault> faults;

    private FaultSchedule(List<Fault> faults) {
        this.faults = List.copyOf(faults);
    }

    /**
     * @param warmup   load before the first fault
     * @param slot     time per fault (injection, hold, recovery)
     */
    public static FaultSchedule plan(long seed, int count, boolean restartServices, Duration warmup, Duration slot) {
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
        long slotMs = slot.toMillis();
        List<Fault> faults = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FaultKind kind = chosen.get(i);
            long jitter = (long) (random.nextDouble() * slotMs * 0.2);
            long at = warmup.toMillis() + i * slotMs + jitter;
            faults.add(new Fault(i + 1, kind, Duration.ofMillis(at), Duration.ofMillis(holdMillis(kind, random, slotMs))));
        }
        return new FaultSchedule(faults);
    }

    /**
     * How long a fault lasts: short for a restart's down time, longer for outages; at most 60% of a slot
     * (three quarters for both services down, so devices time out and resend into the outage).
     */
    private static long holdMillis(FaultKind kind, Random random, long slotMs) {
        long min;
        long max;
        switch (kind) {
            case KILL -> { min = 200; max = 2000; }
            case PAUSE -> { min = 1000; max = 8000; }
            case BOTH_DOWN -> { min = 4000; max = 12000; }
            case PG_RESTART, RABBIT_RESTART -> { min = 0; max = 1000; }
            // a database outage longer than fleetcore.db.connection-timeout (3s) sends records to the retry queue
            case DB_CUT, DB_BLACKHOLE -> { min = 3500; max = 8000; }
            default -> { min = 1000; max = 8000; }
        }
        long hold = min + (long) (random.nextDouble() * (max - min));
        long cap = kind == FaultKind.BOTH_DOWN ? slotMs * 3 / 4 : slotMs * 6 / 10;
        return Math.max(min == 0 ? 0 : 100, Math.min(hold, cap));
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
