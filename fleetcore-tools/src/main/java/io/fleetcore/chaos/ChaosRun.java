package io.fleetcore.chaos;

import io.fleetcore.chaos.FaultSchedule.Fault;
import io.fleetcore.testing.FreePorts;
import io.fleetcore.testing.TcpProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One chaos run: fleetcore as a child process behind proxies to PostgreSQL and RabbitMQ, simulated json
 * and teltonika devices as load, faults on a seeded schedule, then drain and audit of the ACK ledger.
 */
public final class ChaosRun {

    /** Everything a run needs; see {@code fleetcore chaos --help}. */
    public record Settings(long seed, int faults, boolean restartServices, Path jar, Path toolsJar, Path workDir,
                           String jdbcUrl, String dbUser, String dbPassword, String amqpUri,
                           List<String> protocols, int devices, double rate, Duration warmup, Duration gap,
                           Duration quiet, Duration ackTimeout, String heap, Duration drainTimeout) {
    }

    private static final Pattern AUDIT = Pattern.compile("acked=(\\d+) stored=(\\d+) missing=(\\d+) duplicates=(\\d+)");
    private static final long TICK_MS = 100;
    /** Progress lines of the simulators lag; ACKs seen this soon after both services went down were sent before. */
    private static final long BOTH_DOWN_GRACE_MS = 2000;

    private final Settings s;
    private final PrintStream out;
    private final ChaosReport report = new ChaosReport();
    private final AckTimeline timeline = new AckTimeline();
    private final List<SimulatorProcess> simulators = new ArrayList<>();
    private final Random healRandom;
    private Path runDir;
    private Path chaosLog;
    private FleetcoreProcess fleetcore;
    private TcpProxy dbProxy;
    private TcpProxy amqpProxy;
    private long loadStartNanos;
    private CounterScraper counters;
    private boolean starting;

    public ChaosRun(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
        this.healRandom = new Random(settings.seed() * 31 + 7);
    }

    public ChaosReport run() throws Exception {
        long started = System.nanoTime();
        report.seed = s.seed();
        report.faultsPlanned = s.faults();
        String id = "s" + s.seed() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        runDir = s.workDir().resolve("chaos-" + id);
        Files.createDirectories(runDir);
        chaosLog = runDir.resolve("chaos.log");
        Services services = new Services(s.jdbcUrl(), s.dbUser(), s.dbPassword(), s.amqpUri());
        String database = "fc_chaos_" + id.toLowerCase(Locale.ROOT);
        String retryQueue = "fleetcore.retry.chaos-" + id;
        String parkedQueue = "fleetcore.parked.chaos-" + id;
        // broker-first (FLEETCORE_ROUTES=routes/broker-first, passed on to the child) keeps ACKed records here
        String ingestQueue = "fleetcore.ingest.chaos-" + id;
        String exchange = "fleetcore.chaos-" + id;
        // the records feed publishes here; the run's own queue collects it for the forwarded ⊇ stored score
        String recordsExchange = "fleetcore.records.chaos-" + id;
        String eventsExchange = "fleetcore.events.chaos-" + id;
        String forwardedQueue = "fleetcore.forwarded.chaos-" + id;
        services.createDatabase(database);
        say("run %s: database %s, queues %s / %s, logs in %s", id, database, retryQueue, parkedQueue, runDir);
        FaultSchedule schedule = FaultSchedule.plan(s.seed(), s.faults(), s.restartServices(), s.warmup(), s.gap());
        schedule.describe().forEach(l -> log("plan " + l));
        dbProxy = TcpProxy.to(Services.host(s.jdbcUrl()), Services.port(s.jdbcUrl(), 5432));
        amqpProxy = TcpProxy.to(Services.host(s.amqpUri()), Services.port(s.amqpUri(), 5672));
        boolean cleanUp = false;
        // SIGTERM or Ctrl-C of the run: no orphaned fleetcore or simulators (their database and queues stay)
        Thread reaper = new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
                "chaos-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            Map<String, Integer> gatewayPorts = new HashMap<>();
            for (String p : s.protocols()) {
                gatewayPorts.put(p, FreePorts.next());
            }
            Map<String, String> env = new HashMap<>();
            env.put("FLEETCORE_DB_URL", Services.throughProxy(services.databaseUrl(database), dbProxy.port()));
            env.put("FLEETCORE_DB_USER", s.dbUser());
            env.put("FLEETCORE_DB_PASSWORD", s.dbPassword());
            env.put("FLEETCORE_AMQP_URI", Services.throughProxy(s.amqpUri(), amqpProxy.port()));
            env.put("FLEETCORE_AMQP_RETRY_QUEUE", retryQueue);
            env.put("FLEETCORE_AMQP_PARKED_QUEUE", parkedQueue);
            env.put("FLEETCORE_AMQP_INGEST_QUEUE", ingestQueue);
            env.put("FLEETCORE_AMQP_EXCHANGE", exchange);
            env.put("FLEETCORE_FEED_RECORDS_EXCHANGE", recordsExchange);
            env.put("FLEETCORE_FEED_EVENTS_EXCHANGE", eventsExchange);
            services.bindAll(recordsExchange, forwardedQueue);
            env.put("FLEETCORE_BIND_HOST", "127.0.0.1");
            env.put("FLEETCORE_JSON_PORT", String.valueOf(gatewayPorts.getOrDefault("json", FreePorts.next())));
            env.put("FLEETCORE_TELTONIKA_PORT", String.valueOf(gatewayPorts.getOrDefault("teltonika", FreePorts.next())));
            env.put("FLEETCORE_GT06_PORT", String.valueOf(gatewayPorts.getOrDefault("gt06", FreePorts.next())));
            int managementPort = FreePorts.next();
            env.put("FLEETCORE_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("FLEETCORE_API_PORT", String.valueOf(FreePorts.next()));
            counters = new CounterScraper(managementPort);
            env.put("FLEETCORE_DATA_DIR", runDir.resolve("data").toString());
            fleetcore = new FleetcoreProcess(ChildJvm.command(s.jar(), s.heap(), List.of()), env,
                    runDir.resolve("fleetcore.log"), List.copyOf(gatewayPorts.values()));
            startFleetcore();
            counters.start();

            Duration load = schedule.end().plus(s.quiet());
            say("load: %d %s device(s) per protocol, %.0f records/s each, for %ds; %d fault(s)",
                    s.devices(), s.protocols(), s.rate(), load.toSeconds(), s.faults());
            loadStartNanos = System.nanoTime();
            for (String p : s.protocols()) {
                Path ledger = runDir.resolve("ledger-" + p + ".csv");
                simulators.add(new SimulatorProcess(p, ledger, ChildJvm.command(s.toolsJar(), "256m", List.of("simulate",
                        "--host", "127.0.0.1", "--port", String.valueOf(gatewayPorts.get(p)), "--protocol", p,
                        "--devices", String.valueOf(s.devices()), "--rate", String.valueOf(s.rate()),
                        "--records-per-packet", p.equals("teltonika") ? "4" : "1",
                        "--duration", load.toMillis() + "ms", "--ack-timeout", s.ackTimeout().toMillis() + "ms",
                        "--ramp-up", "2s", "--progress", "500ms", "--ledger", ledger.toString())),
                        runDir.resolve("simulate-" + p + ".log")));
            }
            long loadEndMs = load.toMillis();
            for (Fault f : schedule.faults()) {
                waitUntil(f.at().toMillis());
                if (elapsedMs() + f.hold().toMillis() > loadEndMs - s.quiet().toMillis() / 2) {
                    report.problems.add("fault #" + f.number() + " (" + f.kind().label() + ") skipped: behind schedule");
                    continue;
                }
                inject(f);
            }
            say("faults done at %.1fs; devices send until %ds, then resend what they hold", elapsedMs() / 1000.0,
                    load.toSeconds());
            long devicesDeadline = loadEndMs + s.ackTimeout().toMillis() * 2 + 30_000;
            while (simulators.stream().anyMatch(SimulatorProcess::running) && elapsedMs() < devicesDeadline) {
                tick();
            }
            simulators.stream().filter(SimulatorProcess::running).forEach(sim -> {
                report.problems.add("simulate " + sim.protocol() + " did not finish");
                sim.destroy();
            });
            report.longestWithoutAckMillis = timeline.longestWithoutAckMillis(loadEndMs);
            report.longestWithoutAckFromMillis = timeline.longestWithoutAckFromMillis(loadEndMs);
            Files.write(runDir.resolve("ack-timeline.csv"), timeline.csv());
            report.devicesDrained = simulators.stream().allMatch(SimulatorProcess::drained);
            report.sent = simulators.stream().mapToLong(SimulatorProcess::sent).sum();
            report.simulatorAcked = simulators.stream().mapToLong(SimulatorProcess::acked).sum();

            drain(services, database, retryQueue, ingestQueue);
            report.parkedLeft = Math.max(0, services.messages(parkedQueue));
            audit(services, database);
            scoreForwarded(services, database, forwardedQueue);
            report.rowsInDatabase = services.count(database, "select count(*) from records");
            report.peakRssKb = fleetcore.peakRssKb();
            report.crashes = fleetcore.crashes();
            cleanUp = report.passed();
        } finally {
            if (counters != null) {
                counters.close();
                report.counters.putAll(counters.totals());
            }
            if (fleetcore != null) {
                fleetcore.terminate(60);
            }
            simulators.forEach(SimulatorProcess::destroy);
            dbProxy.close();
            amqpProxy.close();
            Runtime.getRuntime().removeShutdownHook(reaper);
            if (cleanUp) {
                services.deleteBrokerObjects(exchange, retryQueue, parkedQueue, ingestQueue, forwardedQueue);
                services.deleteBrokerObjects(recordsExchange);
                services.deleteBrokerObjects(eventsExchange);
                services.dropDatabase(database);
            } else {
                say("kept for inspection: database %s, queues %s / %s", database, retryQueue, parkedQueue);
            }
        }
        report.seconds = (System.nanoTime() - started) / 1e9;
        return report;
    }

    private void inject(Fault f) throws Exception {
        long hold = f.hold().toMillis();
        say("fault #%d at %.1fs: %s for %.1fs", f.number(), elapsedMs() / 1000.0, f.kind().label(), hold / 1000.0);
        report.injected(f.kind());
        switch (f.kind()) {
            case KILL -> {
                fleetcore.kill9();
                pause(hold);
                startFleetcore();
            }
            case PAUSE -> {
                fleetcore.pause();
                pause(hold);
                fleetcore.resume();
            }
            case DB_CUT -> outage(dbProxy, hold, false);
            case DB_BLACKHOLE -> outage(dbProxy, hold, true);
            case BROKER_CUT -> outage(amqpProxy, hold, false);
            case BROKER_BLACKHOLE -> outage(amqpProxy, hold, true);
            case BOTH_DOWN -> bothDown(hold);
            case PG_RESTART -> {
                String version = pgVersion();
                ChildJvm.run(chaosLog, "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
                pause(hold);
            }
            case RABBIT_RESTART -> {
                ChildJvm.run(chaosLog, "rabbitmqctl", "stop_app");
                pause(hold);
                ChildJvm.run(chaosLog, "rabbitmqctl", "start_app");
            }
        }
    }

    private void outage(TcpProxy proxy, long hold, boolean blackHole) throws InterruptedException {
        if (blackHole) {
            proxy.freeze();
        } else {
            proxy.cut();
        }
        pause(hold);
        boolean drop = blackHole && healRandom.nextBoolean();
        proxy.restore(drop);
        if (drop) {
            log("black hole healed by dropping the connections caught in it");
        }
    }

    /** Neither service reachable: no record can become durable, so no device may be ACKed. */
    private void bothDown(long hold) throws InterruptedException {
        dbProxy.cut();
        amqpProxy.cut();
        long from = elapsedMs();
        long rssBefore = fleetcore.sampleRssKb();
        pause(hold);
        long to = elapsedMs();
        long acked = to - from > BOTH_DOWN_GRACE_MS ? timeline.ackedBetween(from + BOTH_DOWN_GRACE_MS, to) : 0;
        long rssAfter = fleetcore.sampleRssKb();
        dbProxy.restore(false);
        amqpProxy.restore(false);
        report.bothDownWindows++;
        report.ackedWhileBothDown += acked;
        report.bothDownRssGrowthKb = Math.max(report.bothDownRssGrowthKb, rssAfter - rssBefore);
        say("  both down %.1fs: %d record(s) ACKed meanwhile, fleetcore RSS %d -> %d MB", (to - from) / 1000.0,
                acked, rssBefore / 1024, rssAfter / 1024);
        if (acked > 0) {
            report.problems.add(acked + " record(s) ACKed while database and broker were both down (at "
                    + from / 1000 + "s)");
        }
    }

    private String pgVersion() throws IOException {
        try (var dirs = Files.list(Path.of("/etc/postgresql"))) {
            return dirs.map(p -> p.getFileName().toString()).max(String::compareTo)
                    .orElseThrow(() -> new IOException("no cluster under /etc/postgresql"));
        }
    }

    /** Starts fleetcore and waits until its gateways listen; a start that fails is retried. */
    private void startFleetcore() throws InterruptedException {
        starting = true;
        try {
            startAttempts();
        } finally {
            starting = false;
        }
    }

    private void startAttempts() throws InterruptedException {
        for (int attempt = 1; attempt <= 5; attempt++) {
            fleetcore.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && fleetcore.alive()) {
                if (fleetcore.ready()) {
                    return;
                }
                tick();
            }
            log("fleetcore did not come up (attempt " + attempt + "), see fleetcore.log");
            fleetcore.terminate(10);
        }
        throw new IllegalStateException("fleetcore does not start; see " + runDir.resolve("fleetcore.log"));
    }

    /**
     * Waits for the retry queue (and the broker-first ingest queue) to empty, then stops fleetcore
     * gracefully; repeats if messages came back.
     */
    private void drain(Services services, String database, String retryQueue, String ingestQueue) throws Exception {
        long deadline = System.nanoTime() + s.drainTimeout().toNanos();
        while (true) {
            long quietSince = -1;
            while (System.nanoTime() < deadline) {
                long n = Math.max(0, services.messages(retryQueue)) + Math.max(0, services.messages(ingestQueue));
                if (n <= 0) {
                    if (quietSince < 0) {
                        quietSince = System.nanoTime();
                    } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                        break;
                    }
                } else {
                    quietSince = -1;
                }
                pause(500);
            }
            awaitFeed(services, database);
            counters.scrape();
            boolean clean = fleetcore.terminate(60);
            if (!clean) {
                report.problems.add("fleetcore did not stop within 60s of SIGTERM");
            }
            long left = Math.max(0, services.messages(retryQueue)) + Math.max(0, services.messages(ingestQueue));
            report.retryLeft = left;
            if (left == 0 || System.nanoTime() >= deadline) {
                say("drained: retry queue %d message(s) left, fleetcore stopped%s", left, clean ? " cleanly" : " by force");
                return;
            }
            say("retry queue still holds %d message(s) after stop: fleetcore again to redeliver them", left);
            startFleetcore();
        }
    }

    /** Gives the records feed up to 60 s to forward every stored row before fleetcore is stopped. */
    private void awaitFeed(Services services, String database) throws Exception {
        String behind = "select count(*) from records r"
                + " where r.id > coalesce((select position from feed_cursors where feed = 'records'), 0)";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long left = services.count(database, behind);
        while (left > 0 && System.nanoTime() < deadline) {
            pause(500);
            left = services.count(database, behind);
        }
        say("records feed: %d stored row(s) not forwarded yet at stop", left);
    }

    /** forwarded ⊇ stored: every row in records reached the records exchange at least once; duplicates counted. */
    private void scoreForwarded(Services services, String database, String forwardedQueue) throws Exception {
        List<Long> forwarded = services.takeForwardedIds(forwardedQueue);
        java.util.Set<Long> distinct = new java.util.HashSet<>(forwarded);
        java.util.Set<Long> stored = services.longs(database, "select id from records");
        long missing = stored.stream().filter(id -> !distinct.contains(id)).count();
        report.forwardScored = true;
        report.forwardedRecords = forwarded.size();
        report.forwardedDistinct = distinct.stream().filter(stored::contains).count();
        report.forwardMissing = missing;
        report.forwardDuplicates = forwarded.size() - distinct.size();
        say("records feed: %d record(s) forwarded, %d distinct, %d stored row(s) never forwarded, %d duplicate(s)",
                forwarded.size(), distinct.size(), missing, report.forwardDuplicates);
    }

    private void audit(Services services, String database) throws Exception {
        Path ledger = runDir.resolve("ledger.csv");
        Files.deleteIfExists(ledger);
        Files.createFile(ledger);
        for (SimulatorProcess sim : simulators) {
            if (Files.exists(sim.ledger())) {
                Files.write(ledger, Files.readAllBytes(sim.ledger()), StandardOpenOption.APPEND);
            }
        }
        List<String> lines = new ArrayList<>();
        Map<String, String> env = Map.of("FLEETCORE_DB_URL", services.databaseUrl(database),
                "FLEETCORE_DB_USER", s.dbUser(), "FLEETCORE_DB_PASSWORD", s.dbPassword());
        Process p = ChildJvm.start(ChildJvm.command(s.toolsJar(), "1g", List.of("audit", "--ledger", ledger.toString())),
                env, runDir.resolve("audit.log"), lines::add);
        p.waitFor();
        p.getInputStream().close();
        Thread.sleep(200); // the output pump finishes its last line
        for (String line : List.copyOf(lines)) {
            Matcher m = AUDIT.matcher(line);
            if (m.find()) {
                report.auditAcked = Long.parseLong(m.group(1));
                report.auditStored = Long.parseLong(m.group(2));
                report.missing = Long.parseLong(m.group(3));
                report.duplicates = Long.parseLong(m.group(4));
                say("audit: %s", m.group());
                return;
            }
        }
        report.problems.add("audit printed no result (exit " + p.exitValue() + "), see " + runDir.resolve("audit.log"));
    }

    /** Waits until {@code millis} after the load started, sampling all the while. */
    private void waitUntil(long millis) throws InterruptedException {
        while (elapsedMs() < millis) {
            tick();
        }
    }

    private void pause(long millis) throws InterruptedException {
        waitUntil(elapsedMs() + millis);
    }

    /** One sampling step: ACK totals, fleetcore memory, and a restart if fleetcore died on its own. */
    private void tick() throws InterruptedException {
        Thread.sleep(TICK_MS);
        if (loadStartNanos != 0) {
            timeline.sample(elapsedMs(), simulators.stream().mapToLong(SimulatorProcess::acked).sum());
        }
        if (fleetcore == null || starting) {
            return;
        }
        fleetcore.sampleRssKb();
        if (fleetcore.exitedUnexpectedly()) {
            fleetcore.countCrash();
            report.problems.add("fleetcore exited on its own at " + elapsedMs() / 1000 + "s; see fleetcore.log");
            say("fleetcore exited on its own: starting it again");
            startFleetcore();
        }
    }

    private long elapsedMs() {
        return loadStartNanos == 0 ? 0 : (System.nanoTime() - loadStartNanos) / 1_000_000;
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        out.println("chaos: " + line);
        log(line);
    }

    private void log(String line) {
        try {
            Files.writeString(chaosLog, Instant.now() + " " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the console has it
        }
    }
}
