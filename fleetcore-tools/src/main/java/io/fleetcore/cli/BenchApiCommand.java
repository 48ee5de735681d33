package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.sim.ApiBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcore bench api}: latest positions through the read API with a large fleet in the database. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Fills a database of its own (default 100,000 devices, 10,000,000 records), starts fleetcore on it"
                + " and times GET /api/v1/positions/latest; exits 1 when its p99 is 50 ms or more. Needs FLEETCORE_DB_URL.")
public final class BenchApiCommand implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "100000", description = "devices (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--records", defaultValue = "10000000", description = "records, spread evenly over the devices (default ${DEFAULT-VALUE})")
    long records;

    @Option(names = "--requests", defaultValue = "1000", description = "timed requests, after 50 to warm up (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--page-size", defaultValue = "1000", description = "limit= of each request (default ${DEFAULT-VALUE})")
    int pageSize;

    @Option(names = "--db-name", defaultValue = "fc_bench_api", description = "database created (replaced) for the run (default ${DEFAULT-VALUE})")
    String dbName;

    @Option(names = "--keep-db", description = "keep the database after the run")
    boolean keepDb;

    @Option(names = "--reuse-db", description = "reuse the database of an earlier --keep-db run when it holds exactly --devices devices"
            + " and --records records (else fill it anew); keeps it afterwards")
    boolean reuseDb;

    @Option(names = "--out", defaultValue = "target/bench", description = "where api-report.json goes (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!dbName.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--db-name must be a plain lower-case identifier, got " + dbName);
        }
        return new ApiBench(FleetcoreConfig.load(), devices, records, requests, pageSize, dbName, keepDb, reuseDb, out, System.out).run();
    }
}
