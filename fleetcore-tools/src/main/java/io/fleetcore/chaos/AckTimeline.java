package io.fleetcore.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The total number of ACKed records over time, sampled while the load runs: gives the longest time
 * without any ACK and the ACKs that arrived inside a window (there must be none while nothing can be
 * durable).
 */
public final class AckTimeline {

    private record Sample(long millis, long acked) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** A sample at {@code millis} since the start of the load; totals never go down. */
    public synchronized void sample(long millis, long ackedTotal) {
        samples.add(new Sample(millis, ackedTotal));
    }

    /** The latest total at or before {@code millis}; 0 before the first sample. */
    public synchronized long ackedAt(long millis) {
        long v = 0;
        for (Sample s : samples) {
            if (s.millis() > millis) {
                break;
            }
            v = s.acked();
        }
        return v;
    }

    /** ACKs counted after {@code fromMillis} up to {@code toMillis}. */
    public synchronized long ackedBetween(long fromMillis, long toMillis) {
        return ackedAt(toMillis) - ackedAt(fromMillis);
    }

    /**
     * The longest stretch without a new ACK between the first ACK and {@code untilMillis} (the end of the
     * load): from one increase of the total to the next, or to the end.
     */
    public synchronized long longestWithoutAckMillis(long untilMillis) {
        return longestGap(untilMillis)[1];
    }

    /** When the longest stretch without an ACK began (ms since the start of the load), -1 when none. */
    public synchronized long longestWithoutAckFromMillis(long untilMillis) {
        return longestGap(untilMillis)[0];
    }

    private long[] longestGap(long untilMillis) {
        long longest = 0;
        long from = -1;
        long lastIncrease = -1;
        long last = 0;
        for (Sample s : samples) {
            if (s.millis() > untilMillis) {
                break;
            }
            if (s.acked() > last) {
                if (lastIncrease >= 0 && s.millis() - lastIncrease > longest) {
                    longest = s.millis() - lastIncrease;
                    from = lastIncrease;
                }
                lastIncrease = s.millis();
                last = s.acked();
            }
        }
        if (lastIncrease >= 0 && untilMillis - lastIncrease > longest) {
            longest = untilMillis - lastIncrease;
            from = lastIncrease;
        }
        return new long[] {from, longest};
    }

    /** The samples as CSV lines {@code millis,acked}, for the run's folder. */
    public synchronized List<String> csv() {
        List<String> lines = new ArrayList<>(samples.size() + 1);
        lines.add("elapsed_ms,acked");
        samples.forEach(s -> lines.add(s.millis() + "," + s.acked()));
        return lines;
    }
}
