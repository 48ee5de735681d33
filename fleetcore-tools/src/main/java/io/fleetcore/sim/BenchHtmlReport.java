package io.fleetcore.sim;

import io.fleetcore.store.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code target/bench/report.html}: the bench report as a picture. One self-contained page (inline SVG and
 * CSS, no script, no external URL, opens offline): the ACK-latency percentile curve of every simulator run
 * and the throughput of every measure as bars, drawn from the same model as {@code report.json}.
 */
public final class BenchHtmlReport {

    /** The percentiles of a run's latency curve (HdrHistogram style: the tail is where latency lives). */
    static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int W = 760;
    private static final int H = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private BenchHtmlReport() {
    }

    /** A run's latency curve for the report model: {@code [percentile, ms]} pairs, empty without samples. */
    public static List<List<Double>> curve(Histogram latencyMicros) {
        List<List<Double>> curve = new ArrayList<>();
        if (latencyMicros == null || latencyMicros.getTotalCount() == 0) {
            return curve;
        }
        for (double p : PERCENTILES) {
            long micros = p >= 100 ? latencyMicros.getMaxValue() : latencyMicros.getValueAtPercentile(p);
            curve.add(List.of(p, Math.round(micros / 10.0) / 100.0));
        }
        return curve;
    }

    /** Reads {@code report.json} and writes {@code report.html} beside it; returns the page's path. */
    public static Path writeBeside(Path reportJson) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> model = RecordJson.MAPPER.readValue(reportJson.toFile(), Map.class);
        Path html = reportJson.resolveSibling("report.html");
        Files.writeString(html, render(model), StandardCharsets.UTF_8);
        return html;
    }

    /** The page for a report model (the map {@code report.json} is written from). */
    public static String render(Map<String, Object> model) {
        Map<String, Map<String, Object>> runs = runs(model);
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fleetcore bench</title>\n<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:820px}")
                .append("h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}svg{background:#fafafa;border:1px solid #ddd}")
                .append("table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}")
                .append("td:first-child,th:first-child{text-align:left}.axis{stroke:#888}.grid{stroke:#e4e4e4}")
                .append("text{font-size:11px;fill:#444}.note{color:#666}</style></head><body>\n")
                .append("<h1>fleetcore bench</h1>\n<p class=\"note\">")
                .append(esc(String.format(Locale.ROOT, "%s run, %s cores, protocol %s, audits clean: %s, load average %s → %s",
                        Boolean.TRUE.equals(model.get("quick")) ? "quick" : "full", model.get("cores"), model.get("protocol"),
                        model.get("audits_clean"), model.get("load_average_start"), model.get("load_average_end"))))
                .append("</p>\n<h2>ACK latency by percentile</h2>\n");
        latencyChart(h, runs);
        h.append("<h2>Throughput</h2>\n");
        barChart(h, bars(model, runs));
        h.append("<h2>Runs</h2>\n<table><tr><th>run</th><th>records/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th>")
                .append("<th>CPU µs per record: fleetcore (JIT, GC, checks)</th><th>PostgreSQL</th><th>audit</th></tr>\n");
        runs.forEach((name, run) -> h.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(run.get("records_per_s")))
                .append("</td><td>").append(esc(run.get("p50_ms"))).append("</td><td>").append(esc(run.get("p99_ms")))
                .append("</td><td>").append(esc(run.get("p999_ms"))).append("</td><td>")
                .append(esc(run.get("cpu_us_per_record_fleetcore") == null ? "–" : run.get("cpu_us_per_record_fleetcore") + " ("
                        + run.get("cpu_us_per_record_fleetcore_jit") + ", " + run.get("cpu_us_per_record_fleetcore_gc") + ", "
                        + run.getOrDefault("cpu_us_per_record_fleetcore_checks", "–") + ")"))
                .append("</td><td>").append(esc(run.getOrDefault("cpu_us_per_record_postgres", "–"))).append("</td><td>")
                .append(Boolean.TRUE.equals(run.get("audit_clean")) ? "clean" : "NOT CLEAN").append("</td></tr>\n"));
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /** Every simulator run of the model by a readable name, in the order the bench made them. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> runs(Map<String, Object> model) {
        Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
        if (model.get("pipeline_runs") instanceof List<?> pipeline) {
            for (Object o : pipeline) {
                Map<String, Object> run = (Map<String, Object>) o;
                runs.put("(c) store-first, " + run.get("devices") + " devices x " + run.get("records_per_packet"), run);
            }
        }
        if (model.get("fixed_rate_run") instanceof Map<?, ?> fixed) {
            runs.put("(d) " + model.get("fixed_rate_per_s") + " rec/s offered, " + model.get("fixed_rate_devices") + " devices",
                    (Map<String, Object>) fixed);
        }
        if (model.get("connections_run") instanceof Map<?, ?> connections) {
            runs.put("(e) " + model.get("connections") + " connections", (Map<String, Object>) connections);
        }
        if (model.get("topologies") instanceof Map<?, ?> topologies && topologies.get("broker_first") instanceof Map<?, ?> bf) {
            runs.put("broker-first, " + bf.get("devices") + " devices x " + bf.get("records_per_packet"), (Map<String, Object>) bf);
        }
        return runs;
    }

    private static Map<String, Double> bars(Map<String, Object> model, Map<String, Map<String, Object>> runs) {
        Map<String, Double> bars = new LinkedHashMap<>();
        putNumber(bars, "(a) single-row INSERT", model.get("single_row_per_s"));
        putNumber(bars, "(b) best raw batch " + model.getOrDefault("batch_best", ""), model.get("batch_per_s"));
        runs.forEach((name, run) -> putNumber(bars, name, run.get("records_per_s")));
        return bars;
    }

    private static void putNumber(Map<String, Double> into, String name, Object value) {
        if (value instanceof Number n) {
            into.put(name, n.doubleValue());
        }
    }

    /** x: percentile on a log scale of 1/(1-p) (90 %, 99 %, 99.9 % equally apart); y: milliseconds. */
    private static void latencyChart(StringBuilder h, Map<String, Map<String, Object>> runs) {
        double xMax = 5; // 99.999 %
        double yMax = 1;
        for (Map<String, Object> run : runs.values()) {
            for (List<Number> point : points(run)) {
                yMax = Math.max(yMax, point.get(1).doubleValue());
            }
        }
        yMax = niceCeiling(yMax);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        h.append("<svg width=\"").append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ')
                .append(H).append("\" role=\"img\" aria-label=\"ACK latency percentile curves\">\n");
        String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= xMax; i++) {
            double x = LEFT + pw * i / xMax;
            h.append(line(x, TOP, x, TOP + ph, "grid")).append(text(x, TOP + ph + 16, xLabels[i], "middle"));
        }
        for (int i = 0; i <= 4; i++) {
            double y = TOP + ph - ph * i / 4.0;
            h.append(line(LEFT, y, LEFT + pw, y, "grid")).append(text(LEFT - 6, y + 4, fmt(yMax * i / 4) + " ms", "end"));
        }
        h.append(line(LEFT, TOP + ph, LEFT + pw, TOP + ph, "axis")).append(line(LEFT, TOP, LEFT, TOP + ph, "axis"))
                .append(text(LEFT + pw / 2.0, H - 10, "percentile of ACKs (log scale of 1/(1-p))", "middle"));
        int c = 0;
        for (Map.Entry<String, Map<String, Object>> run : runs.entrySet()) {
            List<List<Number>> pts = points(run.getValue());
            if (pts.isEmpty()) {
                continue;
            }
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder poly = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (List<Number> p : pts) {
                double pct = Math.min(p.get(0).doubleValue(), 99.999);
                double x = LEFT + pw * Math.log10(100 / (100 - pct)) / xMax;
                double y = TOP + ph - ph * p.get(1).doubleValue() / yMax;
                poly.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                dots.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" fill=\"")
                        .append(colour).append("\"><title>").append(esc(run.getKey() + ": p" + fmt(p.get(0).doubleValue())
                                + " = " + fmt(p.get(1).doubleValue()) + " ms"))
                        .append("</title></circle>");
            }
            h.append("<polyline class=\"curve\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(poly.toString().trim()).append("\"/>").append(dots).append('\n');
            h.append("<rect x=\"").append(LEFT + 10).append("\" y=\"").append(TOP + 6 + 16 * c).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colour).append("\"/>").append(text(LEFT + 26, TOP + 15 + 16 * c, run.getKey(), "start")).append('\n');
            c++;
        }
        h.append("</svg>\n");
    }

    private static void barChart(StringBuilder h, Map<String, Double> bars) {
        double max = niceCeiling(bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
        int rowH = 24;
        int labelW = 300;
        int height = TOP + rowH * bars.size() + 30;
        int pw = W - labelW - 80;
        h.append("<svg width=\"").append(W).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(W).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"throughput, records per second\">\n");
        int i = 0;
        for (Map.Entry<String, Double> bar : bars.entrySet()) {
            double y = TOP + rowH * i;
            double w = pw * bar.getValue() / max;
            h.append(text(labelW - 8, y + 15, bar.getKey(), "end"))
                    .append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(fmt(y + 3)).append("\" width=\"")
                    .append(fmt(w)).append("\" height=\"").append(rowH - 6).append("\" fill=\"").append(COLOURS[i % COLOURS.length])
                    .append("\"><title>").append(esc(bar.getKey() + ": " + fmt(bar.getValue()) + " records/s")).append("</title></rect>")
                    .append(text(labelW + w + 6, y + 15, fmt(bar.getValue()) + "/s", "start")).append('\n');
            i++;
        }
        h.append(text(labelW, height - 8, "records per second (every run audited: ACKed = stored once)", "start")).append("</svg>\n");
    }

    @SuppressWarnings("unchecked")
    private static List<List<Number>> points(Map<String, Object> run) {
        return run.get("latency_curve_ms") instanceof List<?> l ? (List<List<Number>>) l : List.of();
    }

    private static double niceCeiling(double v) {
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * step >= v) {
                return m * step;
            }
        }
        return 10 * step;
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\"/>";
    }

    private static String text(double x, double y, String s, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(Object o) {
        return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
