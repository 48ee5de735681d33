package io.fleetcore.cli;

import io.fleetcore.chaos.ChaosReport;
import io.fleetcore.chaos.ChaosRun;
import io.fleetcore.config.FleetcoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetcore chaos}: proves "never loses a record" under the faults of production. fleetcore runs as
 * a child process behind TCP proxies to PostgreSQL ({@code FLEETCORE_DB_*}) and RabbitMQ
 * ({@code FLEETCORE_AMQP_URI}), simulated devices load it, faults hit it on a seeded schedule, and the ACK
 * ledger is audited against the database at the end.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Fault-injection run scored like Jepsen: kill -9, SIGSTOP, database/broker cut and "
                + "black-holed, both down; then drain and audit. Exits 1 on any loss or duplicate.")
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", description = "seed of the fault schedule (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--faults", defaultValue = "30", description = "faults to inject (default ${DEFAULT-VALUE})")
    int faults;

    @Option(names = "--restart-services", description = "also restart the real PostgreSQL (pg_ctlcluster) and "
            + "RabbitMQ (rabbitmqctl stop_app/start_app); never on a machine others share")
    boolean restartServices;

    @Option(names = "--protocols", split = ",",
            description = "simulated device protocols, together (default: json,teltonika; json alone when this "
                    + "build has no Teltonika gateway)")
    List<String> protocols;

    @Option(names = "--devices", defaultValue = "40", description = "devices per protocol (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--rate", defaultValue = "200", description = "records/s per protocol (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--gap", defaultValue = "4s", converter = DurationConverter.class,
            description = "mean recovery time after each fault, seeded 0.5-1.5x; +8s after a kill (default ${DEFAULT-VALUE})")
    Duration gap;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "load before the first fault (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--quiet", defaultValue = "20s", converter = DurationConverter.class,
            description = "load after the last fault (default ${DEFAULT-VALUE})")
    Duration quiet;

    @Option(names = "--ack-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "devices resend after this long without an ACK (default ${DEFAULT-VALUE})")
    Duration ackTimeout;

    @Option(names = "--drain-timeout", defaultValue = "180s", converter = DurationConverter.class,
            description = "longest wait for the retry queue to empty (default ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the fleetcore child (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--jar", description = "the fleetcore jar to run (default: fleetcore.jar beside this jar, or target/fleetcore.jar)")
    Path jar;

    @Option(names = "--work-dir", defaultValue = "target/chaos",
            description = "logs, ledgers and data of the runs (default ${DEFAULT-VALUE})")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        quiet("org.netcrusher");
        quiet("com.rabbitmq");
        FleetcoreConfig config = FleetcoreConfig.load();
        String jdbcUrl = config.dbUrl().isEmpty() ? "jdbc:postgresql://127.0.0.1:5432/postgres" : config.dbUrl();
        String amqpUri = config.amqpUri().isEmpty() ? "amqp://guest:guest@127.0.0.1:5672/" : config.amqpUri();
        if (protocols == null) {
            protocols = config.get("fleetcore.teltonika.port", "").isEmpty() ? List.of("json") : List.of("json", "teltonika");
            if (protocols.size() == 1) {
                System.out.println("chaos: this build has no Teltonika gateway (fleetcore.teltonika.port): json devices only");
            }
        }
        List<String> protos = protocols.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        for (String p : protos) {
            if (!Arrays.asList("json", "teltonika").contains(p)) {
                throw new IllegalArgumentException("--protocols: json and/or teltonika, got " + p);
            }
        }
        Path theJar = jar != null ? jar : Jars.server();
        if (!Files.isRegularFile(theJar)) {
            System.err.println("chaos: no fleetcore jar at " + theJar.toAbsolutePath() + " (build it: ./mvnw -DskipTests package)");
            return 2;
        }
        ChaosRun.Settings settings = new ChaosRun.Settings(seed, faults, restartServices, theJar.toAbsolutePath(), Jars.tools().toAbsolutePath(),
                workDir.toAbsolutePath(), jdbcUrl, config.dbUser(), config.dbPassword(), amqpUri, protos,
                devices, rate, warmup, gap, quiet, ackTimeout, heap, drainTimeout);
        ChaosReport report = new ChaosRun(settings, System.out).run();
        report.lines().forEach(System.out::println);
        return report.passed() ? 0 : 1;
    }

    /** The proxies and the AMQP client of this process log every cut; the run's own lines say it better. */
    private static void quiet(String logger) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }
}
