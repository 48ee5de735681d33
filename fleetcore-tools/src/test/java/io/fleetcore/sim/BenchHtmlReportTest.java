package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.store.RecordJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html is drawn from the report model, self-contained: every run's curve, every bar, no external URL. */
class BenchHtmlReportTest {

    @TempDir
    Path dir;

    static Map<String, Object> run(int devices, int k, long recordsPerS, long baseMicros) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(baseMicros + i * 10L); // base .. base+100 ms
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("devices", devices);
        run.put("records_per_packet", k);
        run.put("records_per_s", recordsPerS);
        run.put("p50_ms", 55.0);
        run.put("p99_ms", 99.0);
        run.put("p999_ms", 100.0);
        run.put("latency_curve_ms", BenchHtmlReport.curve(h));
        run.put("audit_clean", true);
        run.put("cpu_us_per_record_fleetcore", 31.5);
        run.put("cpu_us_per_record_fleetcore_jit", 4.25);
        run.put("cpu_us_per_record_fleetcore_gc", 1.75);
        run.put("cpu_us_per_record_fleetcore_checks", 0.5);
        run.put("cpu_us_per_record_postgres", 29.5);
        return run;
    }

    static Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quick", true);
        m.put("cores", 2);
        m.put("protocol", "teltonika");
        m.put("load_average_start", "3.10 2.00 1.00");
        m.put("single_row_per_s", 3700);
        m.put("batch_per_s", 150_000);
        m.put("batch_best", "copy/2000");
        m.put("pipeline_runs", List.of(run(500, 10, 16_150, 1_000), run(1000, 10, 15_000, 2_000)));
        m.put("fixed_rate_per_s", 5000);
        m.put("fixed_rate_devices", 1000);
        m.put("fixed_rate_run", run(1000, 1, 4990, 500));
        m.put("topologies", Map.of("broker_first", run(500, 10, 13_000, 3_000)));
        m.put("audits_clean", true);
        return m;
    }

    @Test
    void theCurveIsTheHistogramsPercentilesInMilliseconds() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1 .. 1000 ms
        }
        List<List<Double>> curve = BenchHtmlReport.curve(h);
        assertThat(curve).hasSize(BenchHtmlReport.PERCENTILES.length);
        // HdrHistogram keeps 3 significant digits: values within 0.1 %
        assertThat(curve.get(2).get(0)).isEqualTo(50.0);
        assertThat(curve.get(2).get(1)).isCloseTo(500.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(curve.get(6).get(0)).isEqualTo(99.0);
        assertThat(curve.get(6).get(1)).isCloseTo(990.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(curve.get(curve.size() - 1).get(0)).isEqualTo(100.0);
        assertThat(curve.get(curve.size() - 1).get(1)).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(BenchHtmlReport.curve(new Histogram(3))).isEmpty();
    }

    @Test
    void thePageIsWrittenBesideReportJsonWithACurvePerRunAndABarPerMeasureAndNoExternalUrl() throws Exception {
        Path json = dir.resolve("report.json");
        RecordJson.MAPPER.writeValue(json.toFile(), model());

        Path html = BenchHtmlReport.writeBeside(json);

        assertThat(html).isEqualTo(dir.resolve("report.html")).isRegularFile();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "<style>")
                .contains("(c) store-first, 500 devices x 10", "(c) store-first, 1000 devices x 10",
                        "(d) 5000 rec/s offered, 1000 devices", "broker-first, 500 devices x 10",
                        "(a) single-row INSERT", "(b) best raw batch copy/2000", "load average 3.10 2.00 1.00",
                        "<td>31.5 (4.25, 1.75, 0.5)</td><td>29.5</td>");
        assertThat(count(page, "<polyline class=\"curve\"")).as("one curve per run").isEqualTo(4);
        assertThat(count(page, "<rect class=\"bar\"")).as("a, b and one bar per run").isEqualTo(6);
        // every curve has one point per percentile
        assertThat(count(page, "<circle ")).isEqualTo(4 * BenchHtmlReport.PERCENTILES.length);
        assertThat(page).as("self-contained: nothing fetched from anywhere")
                .doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("src=", "href=", "<link", "@import", "url(");
    }

    @Test
    void labelsAreEscaped() {
        Map<String, Object> m = model();
        m.put("protocol", "<script>alert(1)</script>");
        assertThat(BenchHtmlReport.render(m)).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    static int count(String s, String what) {
        return (int) Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
    }
}
