package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.sim.Bench;
import io.fleetcore.sim.BenchHtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcore bench}: raw inserts vs fleetcore end to end, on one fresh database. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchApiCommand.class,
        description = "Single-row vs batch inserts vs fleetcore end to end (simulated devices, audited), ACK latency"
                + " at 5,000 records/s, 10,000 connections; writes target/bench/report.json and report.html. Needs FLEETCORE_DB_URL.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "a smoke run of under a minute (smaller figures, no thresholds)")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench", description = "report, ledgers and server log (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--jar", description = "the fleetcore jar to run as the server (default: fleetcore.jar beside this jar)")
    Path jar;

    @Option(names = "--db-name", defaultValue = "fc_bench", description = "database created (replaced) for the run (default ${DEFAULT-VALUE})")
    String dbName;

    @Option(names = "--keep-db", description = "keep the database after the run (to audit the ledgers again)")
    boolean keepDb;

    @Option(names = "--writers-only", description = "only the group-commit store with 1, 2 and 4 writers side by side (seconds)")
    boolean writersOnly;

    @Option(names = "--inserts-only", description = "only single-row and raw batch inserts, with CPU per row (seconds)")
    boolean insertsOnly;

    @Option(names = "--topologies-only", description = "only the store-first and the broker-first run of the first pipeline"
            + " configuration side by side, and their ratio (about two minutes; with --quick, seconds)")
    boolean topologiesOnly;

    @Option(names = "--protocol", defaultValue = "auto", description = "auto|teltonika|json: auto uses teltonika when its port answers")
    String protocol;

    @Override
    public Integer call() throws Exception {
        if (!dbName.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--db-name must be a plain lower-case identifier, got " + dbName);
        }
        Bench bench = new Bench(FleetcoreConfig.load(), quick, out, jar != null ? jar : serverJar(), dbName, keepDb, protocol,
                System.out);
        if (writersOnly) {
            return bench.runWriters();
        }
        if (insertsOnly) {
            return bench.runInserts();
        }
        if (topologiesOnly) {
            return bench.runTopologies();
        }
        int result = bench.run();
        System.out.println("report: " + BenchHtmlReport.writeBeside(out.resolve("report.json")).toAbsolutePath());
        return result;
    }

    static Path serverJar() {
        Path jar = Jars.server();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no fleetcore jar at " + jar.toAbsolutePath() + ": build it (./mvnw package) or give --jar");
        }
        return jar;
    }
}
