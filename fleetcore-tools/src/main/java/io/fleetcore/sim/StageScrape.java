package io.fleetcore.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the ACK latency goes, from fleetcore's Prometheus histograms: {@code fleetcore_stage_seconds{stage}}
 * (store queue, batch, commit, ack; broker-first confirm) and {@code fleetcore_ack_latency_seconds} (frame in
 * to ACK released, as {@code server}). A scrape before and one after a load give, per stage, how many passed
 * through it in between, their mean and their p99 (the upper bound of the histogram bucket holding it).
 */
public final class StageScrape {

    /** One histogram as scraped: cumulative bucket counts by upper bound (seconds), count and sum. */
    public record Series(TreeMap<Double, Double> buckets, double count, double sum) {
    }

    private static final Pattern LINE = Pattern.compile("^(fleetcore_stage_seconds|fleetcore_ack_latency_seconds)_(bucket|count|sum)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private StageScrape() {
    }

    /** The histograms of a Prometheus text scrape, by stage ({@code server} for the whole ACK latency). */
    public static Map<String, Series> parse(String prometheusText) {
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        Map<String, Double> counts = new TreeMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String stage = m.group(1).equals("fleetcore_ack_latency_seconds") ? "server" : labels.get("stage");
            if (stage == null) {
                continue;
            }
            double value = Double.parseDouble(m.group(4));
            switch (m.group(2)) {
                case "bucket" -> {
                    String le = labels.get("le");
                    double bound = le == null || le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    buckets.computeIfAbsent(stage, s -> new TreeMap<>()).merge(bound, value, Double::sum);
                }
                case "count" -> counts.merge(stage, value, Double::sum);
                default -> sums.merge(stage, value, Double::sum);
            }
        }
        Map<String, Series> out = new TreeMap<>();
        counts.forEach((stage, count) -> out.put(stage, new Series(buckets.getOrDefault(stage, new TreeMap<>()), count,
                sums.getOrDefault(stage, 0.0))));
        return out;
    }

    /**
     * Per stage, what happened between two scrapes: {@code count}, {@code mean_ms} and {@code p99_ms} (-1 when
     * the p99 is beyond the largest bucket). Stages nothing passed through are left out.
     */
    public static Map<String, Map<String, Object>> between(Map<String, Series> before, Map<String, Series> after) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        after.forEach((stage, a) -> {
            Series b = before.getOrDefault(stage, new Series(new TreeMap<>(), 0, 0));
            double count = a.count() - b.count();
            if (count <= 0) {
                return;
            }
            double target = count * 0.99;
            double p99 = -1;
            for (Map.Entry<Double, Double> e : a.buckets().entrySet()) {
                double n = e.getValue() - b.buckets().getOrDefault(e.getKey(), 0.0);
                if (n >= target) {
                    p99 = e.getKey().isInfinite() ? -1 : e.getKey() * 1000;
                    break;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", Math.round(count));
            m.put("mean_ms", Math.round((a.sum() - b.sum()) / count * 1000 * 100) / 100.0);
            m.put("p99_ms", Math.round(p99 * 100) / 100.0);
            out.put(stage, m);
        });
        return out;
    }

    /** Scrapes {@code /observe/metrics} on the management port; empty when it does not answer. */
    public static Map<String, Series> fetch(int managementPort) {
        return new MetricsEndpoint(managementPort, Duration.ofSeconds(10)).scrape().map(StageScrape::parse).orElse(Map.of());
    }
}
