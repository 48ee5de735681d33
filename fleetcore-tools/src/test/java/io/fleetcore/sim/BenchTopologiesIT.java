package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.RecordJson;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --topologies-only} on the quick plan: each topology's server (the jar as built) is warmed up in
 * audited slices, then runs the first pipeline configuration; every run is audited and report.json holds both runs, the warm-ups,
 * the CPU split and the ratio.
 */
class BenchTopologiesIT {

    static final String DB = TestServices.unique("fc_bench_topo_it").toLowerCase(Locale.ROOT).replace('-', '_');
    static final FleetcoreConfig CONFIG = FleetcoreConfig.load(Map.of("fleetcore.db.url", TestServices.newDatabase(),
            "fleetcore.db.user", "postgres"));

    @Test
    void runsStoreFirstAndBrokerFirstSideBySideWarmedUpAndAudited() throws Exception {
        Path out = Path.of(TestServices.buildDir(), "bench-topologies-it");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = new Bench(CONFIG, true, out, JarProcess.jar(), DB, false, "auto",
                new PrintStream(log, true, StandardCharsets.UTF_8)).runTopologies();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("== warm-up-store-first-1:").contains("== pipeline-1:")
                .contains("== warm-up-broker-first-1:").contains("== broker-first:");

        JsonNode report = RecordJson.MAPPER.readTree(out.resolve("report.json").toFile());
        assertThat(report.get("audits_clean").asBoolean()).as(text).isTrue();
        for (String topology : new String[] {"store_first", "broker_first"}) {
            JsonNode warmup = report.get("server_warmup").get(topology);
            assertThat(warmup.get("acked").asLong()).as(topology + " warm-up").isPositive();
            assertThat(warmup.get("audit_clean").asBoolean()).as(topology + " warm-up").isTrue();
            // the quick plan: one shape, 1 s slices, at most 2 s; each slice audited on its own
            int slices = warmup.get("slices").asInt();
            assertThat(slices).as(topology + " warm-up slices").isBetween(1, 2);
            assertThat(warmup.get("runs")).as(topology + " warm-up runs").hasSize(slices);
            warmup.get("runs").forEach(r -> assertThat(r.get("audit_clean").asBoolean()).as(topology + " warm-up slice").isTrue());
            assertThat(warmup.get("jit_share_worst_shape").asDouble()).as(topology + " warm-up JIT share").isBetween(0.0, 1.0);
            assertThat(warmup.get("jit_settled").asBoolean()).isEqualTo(warmup.get("jit_share_worst_shape").asDouble() < Bench.JIT_SETTLED);
            JsonNode run = report.get("topologies").get(topology);
            assertThat(run.get("records_per_s").asDouble()).as(topology).isPositive();
            assertThat(run.get("audit_clean").asBoolean()).as(topology).isTrue();
            double total = run.get("cpu_us_per_record_fleetcore").asDouble();
            assertThat(total).as(topology).isPositive();
            assertThat(run.get("cpu_us_per_record_fleetcore_jit").asDouble() + run.get("cpu_us_per_record_fleetcore_gc").asDouble()
                    + run.get("cpu_us_per_record_fleetcore_checks").asDouble())
                    .as(topology + ": JIT, GC and checks are part of the process's CPU").isBetween(0.0, total);
        }
        JsonNode runs = report.get("topologies");
        assertThat(report.get("broker_first_vs_store_first").asDouble()).isCloseTo(
                runs.get("broker_first").get("records_per_s").asDouble() / runs.get("store_first").get("records_per_s").asDouble(), within(0.01));
    }
}
