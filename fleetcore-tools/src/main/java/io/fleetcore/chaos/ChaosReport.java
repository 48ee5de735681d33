package io.fleetcore.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a chaos run found, scored like Jepsen: the ACK ledger against the database. The run passes only
 * when every ACKed record is stored exactly once, nothing unexpected is stored, the queues are drained,
 * the devices resent all they held, and nothing was ACKed while neither PostgreSQL nor RabbitMQ could make
 * a record durable.
 */
public final class ChaosReport {

    public long seed;
    public int faultsPlanned;
    public final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
    public long sent;
    public long simulatorAcked;
    public boolean devicesDrained;
    public long auditAcked;
    public long auditStored;
    public long missing;
    public long duplicates;
    public long rowsInDatabase;
    public long retryLeft;
    public long parkedLeft;
    /** The records feed, consumed from its exchange: forwarded ⊇ stored (every stored row forwarded at least once). */
    public boolean forwardScored;
    public long forwardedRecords;
    public long forwardedDistinct;
    public long forwardMissing;
    public long forwardDuplicates;
    public long longestWithoutAckMillis;
    public long longestWithoutAckFromMillis;
    public long peakRssKb;
    public int bothDownWindows;
    public long ackedWhileBothDown;
    public long bothDownRssGrowthKb;
    public int crashes;
    public double seconds;
    public final List<String> problems = new ArrayList<>();
    /** fleetcore's own counters summed over its processes (Prometheus names); paths the records took. */
    public final Map<String, Long> counters = new java.util.LinkedHashMap<>();

    public int faultsInjected() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    public void injected(FaultKind kind) {
        injected.merge(kind, 1, Integer::sum);
    }

    /** Rows no device was ever acknowledged for (every device drained, so every sent record was ACKed). */
    public long unexpected() {
        return Math.max(0, rowsInDatabase - auditStored - duplicates);
    }

    public boolean passed() {
        return missing == 0 && duplicates == 0 && unexpected() == 0 && retryLeft == 0 && parkedLeft == 0
                && devicesDrained && ackedWhileBothDown == 0 && crashes == 0 && problems.isEmpty()
                && forwardScored && forwardMissing == 0;
    }

    /** The last line of every run. */
    public String summaryLine() {
        return "chaos: faults=" + faultsInjected() + " acked=" + auditAcked + " stored=" + auditStored
                + " missing=" + missing + " duplicates=" + duplicates;
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "chaos report (seed %d, %.0fs)", seed, seconds));
        out.add(String.format(Locale.ROOT, "  faults injected   %d of %d planned", faultsInjected(), faultsPlanned));
        for (FaultKind k : FaultKind.values()) {
            if (injected.containsKey(k)) {
                out.add(String.format(Locale.ROOT, "    %-34s %d", k.label(), injected.get(k)));
            }
        }
        out.add(String.format(Locale.ROOT, "  records sent      %d (devices counted %d ACKed%s)", sent, simulatorAcked,
                devicesDrained ? ", all resent until ACKed" : ", NOT drained: devices still hold records"));
        out.add(String.format(Locale.ROOT, "  ledger: ACKed     %d", auditAcked));
        out.add(String.format(Locale.ROOT, "  stored            %d (rows in database %d)", auditStored, rowsInDatabase));
        out.add(String.format(Locale.ROOT, "  missing           %d", missing));
        out.add(String.format(Locale.ROOT, "  duplicates        %d", duplicates));
        out.add(String.format(Locale.ROOT, "  unexpected rows   %d", unexpected()));
        out.add(String.format(Locale.ROOT, "  retry queue left  %d, parked %d", retryLeft, parkedLeft));
        out.add(forwardScored
                ? String.format(Locale.ROOT, "  records feed      %d record(s) forwarded, %d distinct stored row(s); missing %d, duplicates %d",
                        forwardedRecords, forwardedDistinct, forwardMissing, forwardDuplicates)
                : "  records feed      NOT scored");
        if (!counters.isEmpty()) {
            out.add("  fleetcore counters (all processes, scraped each second; kill -9 loses the last second):");
            counters.forEach((k, v) -> out.add(String.format(Locale.ROOT, "    %-40s %d", k, v)));
        }
        out.add(String.format(Locale.ROOT, "  longest without ACK  %.1fs (from %.1fs into the load)",
                longestWithoutAckMillis / 1000.0, longestWithoutAckFromMillis / 1000.0));
        out.add(String.format(Locale.ROOT, "  both down: %d window(s), ACKs while down %d, RSS growth at most %d MB",
                bothDownWindows, ackedWhileBothDown, bothDownRssGrowthKb / 1024));
        out.add(String.format(Locale.ROOT, "  fleetcore peak RSS %d MB, unexpected exits %d", peakRssKb / 1024, crashes));
        for (String p : problems) {
            out.add("  PROBLEM: " + p);
        }
        out.add("  verdict: " + (passed() ? "PASS" : "FAIL"));
        out.add("chaos feed: forwarded=" + forwardedDistinct + " missing=" + forwardMissing + " duplicates=" + forwardDuplicates
                + (forwardScored ? "" : " (not scored)"));
        out.add(summaryLine());
        return out;
    }
}
