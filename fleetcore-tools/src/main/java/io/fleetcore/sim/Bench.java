package io.fleetcore.sim;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.store.Database;
import io.fleetcore.store.InsertMethod;
import io.fleetcore.store.RecordJson;
import io.fleetcore.store.RecordStore;
import io.fleetcore.store.StoredRow;
import io.fleetcore.testing.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code fleetcore bench}: one run, one fresh database, one schema. (a) single-row autocommit inserts,
 * (b) the best raw batch insert, (c) fleetcore end to end with simulated devices (highest sustained rate
 * with every record ACKed and stored), (d) ACK latency at a fixed rate, (e) many open connections: RSS and
 * p99. fleetcore runs as a child process of the jar, so its memory is its own. Every simulator run is
 * audited against the database.
 */
public final class Bench {

    /** How big the run is. */
    public record Plan(Duration insertTime, int fixedRate, int fixedDevices, Duration fixedTime,
                       List<int[]> pipelineConfigs, Duration pipelineTime, Duration warmup, Duration serverWarmupSlice,
                       Duration serverWarmupMax,
                       int connections, int connectionsRate, Duration connectionsRamp, Duration connectionsTime) {

        public static Plan full() {
            return new Plan(Duration.ofSeconds(8), 5000, 1000, Duration.ofSeconds(20),
                    List.of(new int[] {500, 10}, new int[] {1000, 10}, new int[] {2000, 5}), Duration.ofSeconds(20),
                    Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(180), 10_000, 2000, Duration.ofSeconds(10),
                    Duration.ofSeconds(20));
        }

        public static Plan quick() {
            return new Plan(Duration.ofSeconds(1), 500, 100, Duration.ofSeconds(3),
                    List.<int[]>of(new int[] {100, 5}), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2),
                    1000, 250, Duration.ofSeconds(2), Duration.ofSeconds(3));
        }
    }

    private final FleetcoreConfig config;
    private final Plan plan;
    private final boolean quick;
    private final Path outDir;
    private final Path jar;
    private final String dbName;
    private final boolean keepDb;
    private final String protocolChoice;
    private final PrintStream out;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();
    private boolean allClean = true;
    private Audit.Result lastAudit;
    /** CPU per stored record of the last simulator run: fleetcore's process and its PostgreSQL backends. */
    private Map<String, Object> lastCpu = Map.of();

    public Bench(FleetcoreConfig config, boolean quick, Path outDir, Path jar, String dbName, boolean keepDb,
                 String protocolChoice, PrintStream out) {
        this.config = config;
        this.plan = quick ? Plan.quick() : Plan.full();
        this.quick = quick;
        this.outDir = outDir;
        this.jar = jar;
        this.dbName = dbName;
        this.keepDb = keepDb;
        this.protocolChoice = protocolChoice;
        this.out = out;
    }

    /** Runs everything; returns 0 when every audit was clean. */
    public int run() throws Exception {
        String adminUrl = config.dbUrl();
        if (adminUrl.isEmpty()) {
            throw new IllegalStateException("bench needs PostgreSQL: set FLEETCORE_DB_URL (e.g. jdbc:postgresql://127.0.0.1:5432/postgres);"
                    + " it creates a fresh database of its own there");
        }
        Files.createDirectories(outDir);
        String benchUrl = createDatabase(adminUrl);
        FleetcoreConfig benchConfig = FleetcoreConfig.load(Map.of("fleetcore.db.url", benchUrl));
        report.put("quick", quick);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("database", benchUrl);
        report.put("load_average_start", loadAverage());
        try {
            startup();
        } catch (Exception e) {
            // a slow or failed embedded start is a finding of its own, not a reason to skip the rest
            out.println("bench: start-up on embedded defaults failed: " + e.getMessage());
            report.put("startup", Map.of("error", String.valueOf(e.getMessage())));
        }
        try (Database db = Database.start(benchConfig)) {
            double single = singleRow(benchUrl, benchConfig);
            double batch = batches(db);
            truncate(db);
            writers(db);
            truncate(db);
            double pipeline;
            String protocol;
            try (Server server = Server.start(jar, benchUrl, benchConfig, outDir, out, null)) {
                protocol = chooseProtocol(server);
                report.put("protocol", protocol);
                warmUp(db, server, protocol, "store-first", storeFirstShapes());
                pipeline = pipeline(db, server, protocol);
                fixedRate(db, server, protocol);
                connections(db, server, protocol);
            }
            // no truncate here: the ledgers of the runs above stay auditable against this database
            try (Server server = Server.start(jar, benchUrl, benchConfig, outDir, out, "routes/broker-first")) {
                warmUp(db, server, protocol, "broker-first", firstShape());
                brokerFirst(db, server, protocol);
            }
            report.put("single_row_per_s", round(single));
            report.put("batch_per_s", round(batch));
            report.put("pipeline_per_s", round(pipeline));
            report.put("ratio_vs_single", round2(pipeline / single));
            report.put("ratio_vs_batch", round2(pipeline / batch));
            report.put("audits_clean", allClean);
            report.put("load_average_end", loadAverage());
        } finally {
            if (!keepDb) {
                dropDatabase(adminUrl);
            }
        }
        Path json = outDir.resolve("report.json");
        RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        out.println();
        out.printf(Locale.ROOT, "%-58s %14s%n", "measure", "value");
        table.forEach(out::println);
        out.printf(Locale.ROOT, "%-58s %14s%n", "(c)/(a) pipeline vs single-row", report.get("ratio_vs_single"));
        out.printf(Locale.ROOT, "%-58s %14s%n", "(c)/(b) pipeline vs best batch", report.get("ratio_vs_batch"));
        out.println("report: " + json.toAbsolutePath() + (allClean ? "" : "   AUDIT FAILED: records missing or duplicated"));
        out.printf(Locale.ROOT, "bench: pipeline=%s ratio_vs_single=%s ratio_vs_batch=%s p99_ms=%s%n", report.get("pipeline_per_s"),
                report.get("ratio_vs_single"), report.get("ratio_vs_batch"), report.get("p99_ms"));
        out.printf(Locale.ROOT, "bench: feed records forwarded=%s/s stored=%s/s feed_vs_ingest=%s max_lag_s=%s max_lag_records=%s"
                        + " catch_up_s=%s caught_up=%s%n", report.get("feed_forwarded_per_s"), report.get("feed_stored_per_s"),
                report.get("feed_vs_ingest"), report.get("feed_max_lag_s"), report.get("feed_max_lag_records"),
                report.get("feed_catch_up_s"), report.get("feed_caught_up"));
        return allClean ? 0 : 1;
    }

    /** Only (f), the group-commit writers side by side, on a fresh database: {@code bench --writers-only}. */
    public int runWriters() throws Exception {
        return runPiece((db, url, c) -> writers(db));
    }

    /** Only (a) and (b), single-row and raw batch inserts with their CPU per row: {@code bench --inserts-only}. */
    public int runInserts() throws Exception {
        return runPiece((db, url, c) -> {
            singleRow(url, c);
            batches(db);
            out.println("CPU per row, the lower of the passes: " + report.get("batch_methods_cpu"));
        });
    }

    /**
     * Only the two topologies side by side, on a fresh database: the store-first run of the first pipeline
     * configuration, then the broker-first run of the same configuration (each on its own server), and their
     * ratio: {@code bench --topologies-only}. Writes report.json like the full bench; exit 1 when an audit failed.
     */
    public int runTopologies() throws Exception {
        int result = runPiece((db, url, c) -> {
            report.put("load_average_start", loadAverage());
            int[] cfg = plan.pipelineConfigs().get(0);
            String protocol;
            try (Server server = Server.start(jar, url, c, outDir, out, null)) {
                protocol = chooseProtocol(server);
                report.put("protocol", protocol);
                warmUp(db, server, protocol, "store-first", firstShape());
                Simulator.Result r = simulate(db, server, protocol, "pipeline-1", cfg[0], cfg[1], 0,
                        plan.pipelineTime(), plan.warmup(), Duration.ofSeconds(1));
                report.put("pipeline_runs", List.of(runReport(r, cfg[0], cfg[1])));
                row(String.format(Locale.ROOT, "(c) fleetcore end to end, %s, %d devices x %d rec/packet", protocol, cfg[0], cfg[1]),
                        r.ratePerSecond(), "rec/s");
            }
            try (Server server = Server.start(jar, url, c, outDir, out, "routes/broker-first")) {
                warmUp(db, server, protocol, "broker-first", firstShape());
                brokerFirst(db, server, protocol);
            }
            report.put("audits_clean", allClean);
            report.put("load_average_end", loadAverage());
            RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("report.json").toFile(), report);
        });
        out.printf(Locale.ROOT, "bench: store_first=%s broker_first=%s broker_first_vs_store_first=%s%s%n",
                ((Map<?, ?>) ((List<?>) report.get("pipeline_runs")).get(0)).get("records_per_s"), report.get("broker_first_per_s"),
                report.get("broker_first_vs_store_first"), allClean ? "" : "   AUDIT FAILED: records missing or duplicated");
        return allClean ? result : 1;
    }

    private interface Piece {
        void run(Database db, String benchUrl, FleetcoreConfig benchConfig) throws Exception;
    }

    /** One piece of the bench on a fresh database (dropped afterwards unless --keep-db); prints its table. */
    private int runPiece(Piece piece) throws Exception {
        String adminUrl = config.dbUrl();
        if (adminUrl.isEmpty()) {
            throw new IllegalStateException("bench needs PostgreSQL: set FLEETCORE_DB_URL");
        }
        Files.createDirectories(outDir);
        String benchUrl = createDatabase(adminUrl);
        FleetcoreConfig benchConfig = FleetcoreConfig.load(Map.of("fleetcore.db.url", benchUrl));
        out.println("bench: load average " + loadAverage());
        try (Database db = Database.start(benchConfig)) {
            piece.run(db, benchUrl, benchConfig);
        } finally {
            if (!keepDb) {
                dropDatabase(adminUrl);
            }
        }
        out.println();
        table.forEach(out::println);
        out.println("bench: load average " + loadAverage());
        return 0;
    }

    // ---------------------------------------------------------------- (a) and (b): raw inserts

    private double singleRow(String url, FleetcoreConfig c) throws SQLException {
        RecordSource source = new RecordSource("a");
        long rows = 0;
        long nanos = 0;
        try (Connection conn = DriverManager.getConnection(url, c.dbUser(), c.dbPassword());
             PreparedStatement ps = conn.prepareStatement(RecordStore.INSERT_RECORD)) {
            conn.setAutoCommit(true);
            for (DeviceRecord r : source.next(200)) { // warm-up, not timed
                RecordStore.bind(ps, StoredRow.of(r));
                ps.executeUpdate();
            }
            while (nanos < plan.insertTime().toNanos()) {
                List<DeviceRecord> chunk = source.next(200);
                long t0 = System.nanoTime();
                for (DeviceRecord r : chunk) {
                    RecordStore.bind(ps, StoredRow.of(r));
                    rows += ps.executeUpdate();
                }
                nanos += System.nanoTime() - t0;
            }
        }
        double rate = rows / (nanos / 1e9);
        row("(a) single-row INSERT, autocommit, 1 connection", rate, "rows/s");
        return rate;
    }

    private double batches(Database db) throws SQLException {
        double best = 0;
        String bestName = "";
        Map<String, Long> methods = new LinkedHashMap<>();
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        // two interleaved passes in a full run, so JIT warm-up and load swings do not favour one method
        for (int pass = 0; pass < (quick ? 1 : 2); pass++) {
            for (InsertMethod method : InsertMethod.values()) {
                for (int size : quick ? new int[] {1000} : new int[] {500, 2000}) {
                    double[] cpuPerRow = new double[2];
                    double rate = batchRate(db, method, size, cpuPerRow);
                    String name = method.name().toLowerCase(Locale.ROOT) + "/" + size;
                    methods.merge(name, round(rate), Math::max);
                    // CPU, unlike rows/s, does not depend on what else the machine runs: the lower pass counts
                    cpu.merge(name, Map.of("client_us_per_row", round2(cpuPerRow[0]), "postgres_us_per_row", round2(cpuPerRow[1])),
                            (a, b) -> a.get("client_us_per_row") + a.get("postgres_us_per_row")
                                    <= b.get("client_us_per_row") + b.get("postgres_us_per_row") ? a : b);
                    row("(b) raw batch " + name + " per transaction" + (quick ? "" : ", pass " + (pass + 1)), rate, "rows/s");
                    row("(b) " + name + " CPU per row: inserting thread / backend" + (quick ? "" : ", pass " + (pass + 1)),
                            cpuPerRow[0], String.format(Locale.ROOT, "us / %.1f us", cpuPerRow[1]));
                    if (rate > best) {
                        best = rate;
                        bestName = name;
                    }
                }
            }
        }
        report.put("batch_methods", methods);
        report.put("batch_methods_cpu", cpu);
        report.put("batch_best", bestName);
        return best;
    }

    /**
     * Rows/s of one method and batch size; {@code cpuPerRow} receives the CPU µs per row of the inserting thread
     * (what the writer spends: hash, JSON, binding, sending) and of the PostgreSQL backend serving it.
     */
    private double batchRate(Database db, InsertMethod method, int size, double[] cpuPerRow) throws SQLException {
        truncate(db);
        RecordSource source = new RecordSource("b" + method.name().toLowerCase(Locale.ROOT) + size);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long rows = 0;
        long nanos = 0;
        long threadNanos = 0;
        double backendSeconds;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            method.insert(c, rows(source.next(size))); // warm-up, not timed
            long backend;
            try (Statement st = c.createStatement(); var rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            c.commit();
            double backendBefore = CpuMeter.cpuSeconds(backend);
            while (nanos < plan.insertTime().toNanos() / (quick ? 1 : 2)) {
                List<DeviceRecord> chunk = source.next(size);
                long t0 = System.nanoTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                rows += method.insert(c, rows(chunk));
                c.commit();
                threadNanos += threads.getCurrentThreadCpuTime() - cpu0;
                nanos += System.nanoTime() - t0;
            }
            backendSeconds = CpuMeter.cpuSeconds(backend) - backendBefore;
            c.setAutoCommit(true);
        }
        cpuPerRow[0] = threadNanos / 1e3 / Math.max(1, rows);
        cpuPerRow[1] = backendSeconds * 1e6 / Math.max(1, rows);
        return rows / (nanos / 1e9);
    }

    // ---------------------------------------------------------------- (f) group commit with 1, 2, 4 writers

    /**
     * The group-commit store itself ({@code fleetcore.store.writers}) with 1, 2 and 4 writers side by side:
     * 200 simulated devices, each submitting one record and waiting for its commit before the next (as a
     * device waits for its ACK), for the insert time of the plan. Records/s and commit latency p99.
     */
    public Map<String, Object> writers(Database db) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        for (int writers : new int[] {1, 2, 4}) {
            truncate(db);
            RecordSource source = new RecordSource("f" + writers);
            int devices = 200;
            List<List<DeviceRecord>> perDevice = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                perDevice.add(new ArrayList<>());
            }
            List<DeviceRecord> all = source.next(devices * 2000);
            for (int i = 0; i < all.size(); i++) {
                perDevice.get(i % devices).add(all.get(i));
            }
            org.HdrHistogram.Histogram latency = new org.HdrHistogram.Histogram(3);
            AtomicLong committed = new AtomicLong();
            long end = System.nanoTime() + plan.insertTime().toNanos() * (quick ? 2 : 1);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(devices);
            long t0 = System.nanoTime();
            try (RecordStore store = new RecordStore(db.dataSource(), config.getInt("fleetcore.store.batch-size"),
                    config.getDuration("fleetcore.store.batch-wait"), config.getInt("fleetcore.store.queue-capacity"), writers)) {
                for (List<DeviceRecord> records : perDevice) {
                    new DeviceLoop(store, records, end, latency, committed, done).next();
                }
                done.await(plan.insertTime().toSeconds() * 4 + 60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = committed.get() / seconds;
            double p99;
            synchronized (latency) {
                p99 = latency.getValueAtPercentile(99) / 1000.0;
            }
            results.put(writers + "_writers", Map.of("records_per_s", round(rate), "commit_p99_ms", round2(p99)));
            row(String.format(Locale.ROOT, "(f) group commit, %d writer(s), 200 devices 1 in flight", writers), rate, "rec/s");
            row(String.format(Locale.ROOT, "(f) group commit, %d writer(s): commit p99", writers), p99, "ms");
        }
        report.put("writers", results);
        return results;
    }

    /** One simulated device of (f): submits its next record when the previous one committed. */
    private static final class DeviceLoop {
        private final RecordStore store;
        private final List<DeviceRecord> records;
        private final long end;
        private final org.HdrHistogram.Histogram latency;
        private final AtomicLong committed;
        private final java.util.concurrent.CountDownLatch done;
        private int next;

        DeviceLoop(RecordStore store, List<DeviceRecord> records, long end, org.HdrHistogram.Histogram latency,
                   AtomicLong committed, java.util.concurrent.CountDownLatch done) {
            this.store = store;
            this.records = records;
            this.end = end;
            this.latency = latency;
            this.committed = committed;
            this.done = done;
        }

        void next() {
            if (System.nanoTime() > end || next >= records.size()) {
                done.countDown();
                return;
            }
            long start = System.nanoTime();
            store.submit(List.of(records.get(next++)), failure -> {
                if (failure == null) {
                    synchronized (latency) {
                        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    }
                    committed.incrementAndGet();
                }
                next();
            }, Duration.ofSeconds(10));
        }
    }

    /** Hash and JSON are part of what an insert costs: computed inside the timed section. */
    private static List<StoredRow> rows(List<DeviceRecord> records) {
        return records.stream().map(StoredRow::of).toList();
    }

    private static void truncate(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("truncate records, latest_records");
        }
    }

    /** Unique records, generated outside the timed sections. */
    private static final class RecordSource {
        private final List<SimRecords> devices = new ArrayList<>();
        private int next;

        RecordSource(String tag) {
            Instant first = Instant.parse("2026-01-01T00:00:00Z");
            long base = Math.floorMod(System.nanoTime(), 1_000_000L);
            for (int i = 0; i < 200; i++) {
                devices.add(new SimRecords("bench-" + tag + "-" + base + "-" + i, base + i, first));
            }
        }

        List<DeviceRecord> next(int n) {
            List<DeviceRecord> chunk = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                chunk.add(devices.get(next++ % devices.size()).nextDeviceRecord());
            }
            return chunk;
        }
    }

    // ---------------------------------------------------------------- (c), (d), (e): end to end

    private String chooseProtocol(Server server) {
        if (!protocolChoice.equals("auto")) {
            return protocolChoice;
        }
        return reachable(server.teltonikaPort) ? "teltonika" : "json";
    }

    /** Load shapes a server is measured with, {devices, records per packet, rate (0 = max)}: each pipeline configuration, (d). */
    private List<int[]> storeFirstShapes() {
        List<int[]> shapes = new ArrayList<>();
        plan.pipelineConfigs().forEach(c -> shapes.add(new int[] {c[0], c[1], 0}));
        shapes.add(new int[] {plan.fixedDevices(), 1, plan.fixedRate()});
        return shapes;
    }

    /** The first pipeline configuration only: what {@code --topologies-only} and broker-first measure. */
    private List<int[]> firstShape() {
        int[] c = plan.pipelineConfigs().get(0);
        return List.<int[]>of(new int[] {c[0], c[1], 0});
    }

    /** The JIT's share of fleetcore's CPU in a warm-up slice below which the server counts as warm. */
    static final double JIT_SETTLED = 0.10;

    /**
     * Whether a warm-up is over, given the JIT's share of the CPU in each shape's latest slice ({@code lastJitShares},
     * NaN for a shape not run yet): every shape has had a slice, and either each shape's latest slice was under
     * {@link #JIT_SETTLED} or another slice would end past {@code max}.
     */
    static boolean warmUpDone(double[] lastJitShares, long elapsedNanos, Duration slice, Duration max) {
        return worst(lastJitShares) < JIT_SETTLED || elapsedNanos + slice.toNanos() > max.toNanos() && allRun(lastJitShares);
    }

    private static double worst(double[] shares) {
        double worst = 0;
        for (double s : shares) {
            worst = Math.max(worst, s);
        }
        return worst;
    }

    private static boolean allRun(double[] shares) {
        for (double s : shares) {
            if (Double.isNaN(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Warms a fresh server up before it is measured, as a server that has run for a while would be (in a 20 s run
     * right after start-up the JIT compiler threads took a third of fleetcore's CPU, and each new shape of load
     * compiles again): the load shapes
     * it is then measured with ({@code shapes}) take turns, a slice each, so no measured run is the first of its shape
     * for the compiler, until in each shape's latest slice the JIT compiler threads took less than
     * {@link #JIT_SETTLED} of the process's CPU, or the warm-up's time is used up. Every slice is audited; none counts
     * in the results. The measured runs start once the records feed has forwarded what the warm-up stored.
     */
    private void warmUp(Database db, Server server, String protocol, String topology, List<int[]> shapes) throws Exception {
        if (plan.serverWarmupSlice().isZero()) {
            return;
        }
        FeedWatch feed = FeedWatch.start(db.dataSource(), "records", Duration.ofMillis(500));
        List<Map<String, Object>> runs = new ArrayList<>();
        long started = System.nanoTime();
        long acked = 0;
        boolean clean = true;
        double[] jitShares = new double[shapes.size()];
        java.util.Arrays.fill(jitShares, Double.NaN);
        for (int i = 0; ; i++) {
            int[] shape = shapes.get(i % shapes.size());
            Simulator.Result r = simulate(db, server, protocol, "warm-up-" + topology + "-" + (i + 1), shape[0], shape[1], shape[2],
                    plan.serverWarmupSlice(), Duration.ZERO, Duration.ofSeconds(5));
            Map<String, Object> run = runReport(r, shape[0], shape[1]);
            runs.add(run);
            acked += r.acked();
            clean &= Boolean.TRUE.equals(run.get("audit_clean"));
            jitShares[i % shapes.size()] = lastCpu.get("cpu_us_per_record_fleetcore") instanceof Number f && f.doubleValue() > 0
                    && lastCpu.get("cpu_us_per_record_fleetcore_jit") instanceof Number jit ? jit.doubleValue() / f.doubleValue() : 1;
            if (warmUpDone(jitShares, System.nanoTime() - started, plan.serverWarmupSlice(), plan.serverWarmupMax())) {
                break;
            }
        }
        double jitShare = worst(jitShares);
        Map<String, Object> warmup = new LinkedHashMap<>();
        warmup.put("slices", runs.size());
        warmup.put("seconds", round((System.nanoTime() - started) / 1e9));
        warmup.put("acked", acked);
        warmup.put("audit_clean", clean);
        warmup.put("jit_share_worst_shape", round2(jitShare));
        warmup.put("jit_settled", jitShare < JIT_SETTLED);
        warmup.put("runs", runs);
        warmup.put("feed", feed.finish(Duration.ofSeconds(120)));
        out.println("feed records after the warm-up: " + warmup.get("feed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> warmups = (Map<String, Object>) report.computeIfAbsent("server_warmup", k -> new LinkedHashMap<>());
        warmups.put(topology.replace('-', '_'), warmup);
        row(String.format(Locale.ROOT, "server warm-up, %s, not counted: %d slices, JIT <= %s of fleetcore's CPU at the end", topology,
                runs.size(), Math.round(jitShare * 100) + " %"), (System.nanoTime() - started) / 1e9, "s");
    }

    private double pipeline(Database db, Server server, String protocol) throws Exception {
        double best = 0;
        Map<String, Object> bestCpu = Map.of();
        List<Map<String, Object>> runs = new ArrayList<>();
        int n = 0;
        for (int[] cfg : plan.pipelineConfigs()) {
            n++;
            // the records feed forwards what ingest stores, at the same time: does it keep up?
            FeedWatch feed = FeedWatch.start(db.dataSource(), "records", Duration.ofMillis(500));
            Simulator.Result r = simulate(db, server, protocol, "pipeline-" + n, cfg[0], cfg[1], 0,
                    plan.pipelineTime(), plan.warmup(), Duration.ofSeconds(1));
            Map<String, Object> forwarded = feed.finish(Duration.ofSeconds(60));
            out.println("feed records: " + forwarded);
            Map<String, Object> run = runReport(r, cfg[0], cfg[1]);
            run.put("feed", forwarded);
            runs.add(run);
            if (n == 1) {
                row("(f) records feed forwarded during (c), first config", ((Number) forwarded.get("forwarded_per_s")).doubleValue(), "rec/s");
                row("(f) records feed worst lag during (c)", ((Number) forwarded.get("max_lag_s")).doubleValue(), "s");
                row("(f) records feed worst lag during (c), rows", ((Number) forwarded.get("max_lag_records")).doubleValue(), "rows");
                row("(f) records feed forwarded / stored during (c)", ((Number) forwarded.get("forwarded_vs_stored")).doubleValue(), "x");
                row("(f) records feed catch-up after (c)", ((Number) forwarded.get("catch_up_s")).doubleValue(), "s");
                report.put("feed_forwarded_per_s", forwarded.get("forwarded_per_s"));
                report.put("feed_max_lag_s", forwarded.get("max_lag_s"));
                report.put("feed_max_lag_records", forwarded.get("max_lag_records"));
                report.put("feed_catch_up_s", forwarded.get("catch_up_s"));
                report.put("feed_caught_up", forwarded.get("caught_up"));
                report.put("feed_stored_per_s", forwarded.get("stored_per_s"));
                report.put("feed_vs_ingest", forwarded.get("forwarded_vs_stored"));
            }
            if (Boolean.TRUE.equals(run.get("audit_clean")) && r.drained() && r.ratePerSecond() > best) {
                best = r.ratePerSecond();
                bestCpu = lastCpu;
            }
            row(String.format(Locale.ROOT, "(c) fleetcore end to end, %s, %d devices x %d rec/packet", protocol, cfg[0], cfg[1]),
                    r.ratePerSecond(), "rec/s");
        }
        report.put("pipeline_runs", runs);
        // CPU per record at full load: the best clean pipeline run
        report.put("cpu_us_per_record_fleetcore", bestCpu.get("cpu_us_per_record_fleetcore"));
        report.put("cpu_us_per_record_postgres", bestCpu.get("cpu_us_per_record_postgres"));
        report.put("cpu_us_per_record_fleetcore_jit", bestCpu.get("cpu_us_per_record_fleetcore_jit"));
        report.put("cpu_us_per_record_fleetcore_gc", bestCpu.get("cpu_us_per_record_fleetcore_gc"));
        report.put("cpu_us_per_record_fleetcore_checks", bestCpu.get("cpu_us_per_record_fleetcore_checks"));
        if (bestCpu.get("cpu_us_per_record_fleetcore") instanceof Number f && bestCpu.get("cpu_us_per_record_postgres") instanceof Number pg) {
            row("(c) CPU per stored record, best run: fleetcore", f.doubleValue(), "us");
            if (bestCpu.get("cpu_us_per_record_fleetcore_jit") instanceof Number jit && bestCpu.get("cpu_us_per_record_fleetcore_gc") instanceof Number gc) {
                row("(c)   of which fleetcore's JIT compiler threads", jit.doubleValue(), "us");
                row("(c)   of which fleetcore's garbage collector threads", gc.doubleValue(), "us");
            }
            if (bestCpu.get("cpu_us_per_record_fleetcore_checks") instanceof Number checks) {
                row("(c)   of which fleetcore's scheduled checks' threads", checks.doubleValue(), "us");
            }
            row("(c) CPU per stored record, best run: PostgreSQL backends", pg.doubleValue(), "us");
        }
        return best;
    }

    /**
     * The broker-first topology (routes/broker-first) on the first pipeline configuration, beside the
     * store-first run of the same configuration: the ACK waits for the broker's confirm instead of the commit.
     */
    private void brokerFirst(Database db, Server server, String protocol) throws Exception {
        int[] cfg = plan.pipelineConfigs().get(0);
        Map<String, StageScrape.Series> before = StageScrape.fetch(server.managementPort);
        Simulator.Result r = simulate(db, server, protocol, "broker-first", cfg[0], cfg[1], 0,
                plan.pipelineTime(), plan.warmup(), Duration.ofSeconds(1));
        stages("broker_first_stages", "broker-first", before, StageScrape.fetch(server.managementPort));
        Map<String, Object> run = runReport(r, cfg[0], cfg[1]);
        Map<String, Object> topologies = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> storeFirstRuns = (List<Map<String, Object>>) report.get("pipeline_runs");
        topologies.put("store_first", storeFirstRuns.get(0));
        topologies.put("broker_first", run);
        report.put("topologies", topologies);
        report.put("broker_first_per_s", round(r.ratePerSecond()));
        report.put("broker_first_p99_ms", round2(r.p(99)));
        double storeFirst = ((Number) storeFirstRuns.get(0).get("records_per_s")).doubleValue();
        report.put("broker_first_vs_store_first", round2(r.ratePerSecond() / Math.max(1, storeFirst)));
        row(String.format(Locale.ROOT, "broker-first end to end, %s, %d devices x %d rec/packet", protocol, cfg[0], cfg[1]),
                r.ratePerSecond(), "rec/s");
        row("broker-first ACK latency p99 (store-first same load: " + storeFirstRuns.get(0).get("p99_ms") + " ms)",
                r.p(99), "ms");
        row("broker-first / store-first, same configuration", (Double) report.get("broker_first_vs_store_first"), "x");
    }

    private void fixedRate(Database db, Server server, String protocol) throws Exception {
        Map<String, StageScrape.Series> before = StageScrape.fetch(server.managementPort);
        Simulator.Result r = simulate(db, server, protocol, "fixed-rate", plan.fixedDevices(), 1, plan.fixedRate(),
                plan.fixedTime(), plan.warmup(), Duration.ofSeconds(2));
        stages("fixed_rate_stages", "(d)", before, StageScrape.fetch(server.managementPort));
        report.put("fixed_rate_per_s", plan.fixedRate());
        report.put("fixed_rate_devices", plan.fixedDevices());
        report.put("fixed_rate_achieved_per_s", round(r.ratePerSecond()));
        report.put("p50_ms", round2(r.p(50)));
        report.put("p99_ms", round2(r.p(99)));
        report.put("p999_ms", round2(r.p(99.9)));
        report.put("fixed_rate_run", runReport(r, plan.fixedDevices(), 1));
        String what = String.format(Locale.ROOT, "(d) ACK latency at %d rec/s from %d devices", plan.fixedRate(), plan.fixedDevices());
        row(what + ": p50", r.p(50), "ms");
        row(what + ": p99", r.p(99), "ms");
        row(what + ": p99.9", r.p(99.9), "ms");
    }

    /** Where the ACK latency went during one run (warm-up included): server-side stages from fleetcore's metrics. */
    private void stages(String key, String label, Map<String, StageScrape.Series> before, Map<String, StageScrape.Series> after) {
        Map<String, Map<String, Object>> stages = StageScrape.between(before, after);
        report.put(key, stages);
        stages.forEach((stage, m) -> row(label + " stage " + stage + ": mean " + m.get("mean_ms") + " ms, p99 <=",
                ((Number) m.get("p99_ms")).doubleValue(), "ms"));
    }

    private void connections(Database db, Server server, String protocol) throws Exception {
        AtomicLong maxRssKb = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRssKb.accumulateAndGet(server.rssKb(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-rss");
        long rssBefore = server.rssKb();
        sampler.start();
        Simulator.Result r;
        try {
            r = simulate(db, server, protocol, "connections", plan.connections(), 1, plan.connectionsRate(),
                    plan.connectionsTime(), Duration.ofSeconds(2), Duration.ofSeconds(5), plan.connectionsRamp());
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double rssMb = maxRssKb.get() / 1024.0;
        report.put("connections", plan.connections());
        report.put("rss_mb_before_connections", round(rssBefore / 1024.0));
        report.put("rss_mb_at_connections", round(rssMb));
        report.put("p99_ms_at_connections", round2(r.p(99)));
        report.put("connections_run", runReport(r, plan.connections(), 1));
        row(String.format(Locale.ROOT, "(e) %d open connections (%d rec/s): fleetcore RSS, max", plan.connections(),
                plan.connectionsRate()), rssMb, "MB");
        row(String.format(Locale.ROOT, "(e) %d open connections: ACK p99", plan.connections()), r.p(99), "ms");
    }

    private Simulator.Result simulate(Database db, Server server, String protocol, String name, int devices, int k,
                                      double rate, Duration time, Duration warmup, Duration progressEvery) throws Exception {
        return simulate(db, server, protocol, name, devices, k, rate, time, warmup, progressEvery,
                Duration.ofMillis(Math.max(200, devices / 2)));
    }

    private Simulator.Result simulate(Database db, Server server, String protocol, String name, int devices, int k,
                                      double rate, Duration time, Duration warmup, Duration progressEvery,
                                      Duration rampUp) throws Exception {
        Path ledger = outDir.resolve(name + ".ledger.csv");
        boolean teltonika = protocol.equals("teltonika");
        out.printf(Locale.ROOT, "%n== %s: %d %s devices, %d rec/packet, rate %s, %ds (+%ds warm-up)%n", name, devices,
                protocol, k, rate <= 0 ? "max" : String.valueOf((int) rate), time.toSeconds(), warmup.toSeconds());
        Simulator.Settings settings = new Simulator.Settings("127.0.0.1",
                teltonika ? server.teltonikaPort : server.jsonPort,
                teltonika ? Simulator.Protocol.TELTONIKA : Simulator.Protocol.JSON, devices, k, rate, time, 0, ledger,
                Duration.ofSeconds(30), rampUp, warmup, true, 2, progressEvery);
        long rowsBefore = countRecords(db);
        CpuMeter.Sample cpuBefore = CpuMeter.sample(server.process.pid(), db.dataSource());
        Simulator.Result r = new Simulator(settings, out).run();
        CpuMeter.Sample cpuAfter = CpuMeter.sample(server.process.pid(), db.dataSource());
        out.println(r.summary());
        // broker-first stores after the ACK: give the ingest consumer time to catch up before judging; an audit
        // that fails (the database) is tried again meanwhile, and at worst counts as not clean: the report is written
        Audit.Result audit = null;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); ; Thread.sleep(500)) {
            try {
                audit = Audit.run(ledger, db.dataSource());
            } catch (SQLException e) {
                out.println("audit " + name + " failed: " + e.getMessage());
            }
            if (audit != null && audit.clean() || System.nanoTime() > deadline) {
                break;
            }
        }
        out.println("audit " + name + ": " + audit);
        lastCpu = cpuPerRecord(cpuBefore, cpuAfter, countRecords(db) - rowsBefore);
        out.println("cpu " + name + ": " + lastCpu);
        allClean &= audit != null && audit.clean() && r.drained();
        lastAudit = audit;
        return r;
    }

    private Map<String, Object> runReport(Simulator.Result r, int devices, int k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        m.put("records_per_packet", k);
        m.put("records_per_s", round(r.ratePerSecond()));
        m.put("acked", r.acked());
        m.put("resent", r.resent());
        m.put("reconnects", r.reconnects());
        m.put("p50_ms", round2(r.p(50)));
        m.put("p99_ms", round2(r.p(99)));
        m.put("p999_ms", round2(r.p(99.9)));
        m.put("latency_curve_ms", BenchHtmlReport.curve(r.latencyMicros()));
        m.put("audit", String.valueOf(lastAudit));
        m.put("audit_clean", lastAudit != null && lastAudit.clean());
        m.putAll(lastCpu);
        return m;
    }

    private static final Pattern STARTED = Pattern.compile("started in (\\d+) ms.*");
    private static final Pattern PHASE = Pattern.compile("(embedded postgres|flyway|broker|routes) (\\d+) ms");

    /**
     * Start-up on embedded defaults (no FLEETCORE_DB_URL, no FLEETCORE_AMQP_URI): process start to the first open
     * gateway port, on a fresh data dir (initdb, migrations) and again on the same data dir (a restart); the
     * phases are the ones the server logs ("started in ... ms: embedded postgres ..., broker ...").
     */
    private void startup() throws Exception {
        Path data = outDir.resolve("startup-data");
        deleteTree(data);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String run : new String[] {"first", "restart"}) {
            Path log = outDir.resolve("fleetcore-startup-" + run + ".log");
            Files.deleteIfExists(log);
            long millis;
            try (Server server = Server.launch(jar, Map.of("FLEETCORE_DB_URL", "", "FLEETCORE_AMQP_URI", "",
                    "FLEETCORE_AMQP_EMBEDDED_PORT", String.valueOf(FreePorts.next()), "FLEETCORE_LOG_LEVEL", "INFO"), data, log, out)) {
                millis = server.startupMillis;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("to_first_port_ms", millis);
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("started in ");
                if (at >= 0 && STARTED.matcher(line.substring(at)).matches()) {
                    Matcher phase = PHASE.matcher(line);
                    while (phase.find()) {
                        r.put(phase.group(1).replace(' ', '_') + "_ms", Long.parseLong(phase.group(2)));
                    }
                }
            }
            m.put(run, r);
            row("startup to the first open gateway port, embedded defaults, " + run, millis, "ms");
        }
        report.put("startup", m);
        deleteTree(data);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * CPU over the simulator run (warm-up included) ÷ records it stored: fleetcore's whole process and the
     * PostgreSQL backends of its connections, each from /proc/&lt;pid&gt;/stat; of fleetcore's, what its JIT
     * compiler threads, its garbage collector threads and its scheduled checks' threads took (from
     * /proc/&lt;pid&gt;/task). The quality check runs once a minute over the last minute's records, so a run shorter
     * than a minute holds one such run or none: its share says which.
     */
    private static Map<String, Object> cpuPerRecord(CpuMeter.Sample before, CpuMeter.Sample after, long stored) {
        Map<String, Object> m = new LinkedHashMap<>();
        double fleetcore = after.fleetcoreSeconds() - before.fleetcoreSeconds();
        double postgres = after.postgresSecondsSince(before);
        m.put("records_stored", stored);
        m.put("cpu_s_fleetcore", round2(fleetcore));
        m.put("cpu_s_postgres", round2(postgres));
        m.put("cpu_us_per_record_fleetcore", microsPerRecord(fleetcore, stored));
        m.put("cpu_us_per_record_postgres", microsPerRecord(postgres, stored));
        // a thread that ended meanwhile takes its seconds out of its kind's sum: never below 0
        m.put("cpu_us_per_record_fleetcore_jit", microsPerRecord(Math.max(0, after.jitSeconds() - before.jitSeconds()), stored));
        m.put("cpu_us_per_record_fleetcore_gc", microsPerRecord(Math.max(0, after.gcSeconds() - before.gcSeconds()), stored));
        m.put("cpu_us_per_record_fleetcore_checks", microsPerRecord(Math.max(0, after.checksSeconds() - before.checksSeconds()), stored));
        return m;
    }

    /** CPU seconds ÷ records in microseconds, two decimals; null when nothing was stored. */
    private static Double microsPerRecord(double seconds, long stored) {
        return stored > 0 ? round2(seconds * 1e6 / stored) : null;
    }

    private static long countRecords(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void row(String what, double value, String unit) {
        table.add(tableRow(what, value, unit));
        out.printf(Locale.ROOT, "-> %s: %s %s%n", what, figure(value, unit), unit);
    }

    /** One line of the printed table: ratios ({@code x}) with two decimals, so 0.77 does not read as a goal's 0.8. */
    static String tableRow(String what, double value, String unit) {
        return String.format(Locale.ROOT, "%-58s %10s %s", what, figure(value, unit), unit);
    }

    private static String figure(double value, String unit) {
        return String.format(Locale.ROOT, unit.equals("x") ? "%.2f" : "%.1f", value);
    }

    private static long round(double v) {
        return Math.round(v);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    // ---------------------------------------------------------------- database of the run

    private String createDatabase(String adminUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, config.dbUser(), config.dbPassword());
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + dbName + " with (force)");
            st.execute("create database " + dbName);
        }
        out.println("bench: fresh database " + dbName);
        return adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + dbName + "$1");
    }

    private void dropDatabase(String adminUrl) {
        try (Connection c = DriverManager.getConnection(adminUrl, config.dbUser(), config.dbPassword());
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + dbName + " with (force)");
        } catch (SQLException e) {
            out.println("bench: could not drop " + dbName + ": " + e.getMessage());
        }
    }

    /** The machine's 1, 5 and 15 minute load averages ({@code /proc/loadavg}): the figures are only as good as the machine was idle. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** fleetcore as a child process of the same jar. */
    static final class Server implements AutoCloseable {
        /** An embedded first start on a loaded 2-core box took 160 s (README, "Modules and jars"). */
        static final long START_TIMEOUT_S = 300;
        final Process process;
        final int jsonPort;
        final int teltonikaPort;
        long startupMillis;
        final int managementPort;

        private Server(Process process, int jsonPort, int teltonikaPort, int managementPort) {
            this.process = process;
            this.jsonPort = jsonPort;
            this.teltonikaPort = teltonikaPort;
            this.managementPort = managementPort;
        }

        /** {@code routes}: the route folder (FLEETCORE_ROUTES), {@code null} for the default store-first one. */
        static Server start(Path jar, String dbUrl, FleetcoreConfig config, Path outDir, PrintStream out, String routes) throws Exception {
            Map<String, String> settings = new HashMap<>();
            settings.put("FLEETCORE_DB_URL", dbUrl);
            settings.put("FLEETCORE_DB_USER", config.dbUser());
            settings.put("FLEETCORE_DB_PASSWORD", config.dbPassword());
            if (routes != null) {
                settings.put("FLEETCORE_ROUTES", routes);
            }
            Path log = outDir.resolve(routes == null ? "fleetcore.log" : "fleetcore-" + Path.of(routes).getFileName() + ".log");
            return launch(jar, settings, outDir.resolve("data"), log, out);
        }

        /** Starts the jar with {@code settings} (environment) on free ports; returns once its json port accepts. */
        static Server launch(Path jar, Map<String, String> settings, Path dataDir, Path log, PrintStream out) throws Exception {
            int json = FreePorts.next();
            int teltonika = FreePorts.next();
            int management = FreePorts.next();
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String opts = System.getenv().getOrDefault("FLEETCORE_BENCH_JAVA_OPTS", "-Xms256m -Xmx512m");
            for (String o : opts.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
            cmd.add("-jar");
            cmd.add(jar.toAbsolutePath().toString());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Map<String, String> env = pb.environment();
            env.put("FLEETCORE_BIND_HOST", "127.0.0.1");
            env.put("FLEETCORE_JSON_PORT", String.valueOf(json));
            env.put("FLEETCORE_TELTONIKA_PORT", String.valueOf(teltonika));
            env.put("FLEETCORE_GT06_PORT", String.valueOf(FreePorts.next()));
            env.put("FLEETCORE_MANAGEMENT_PORT", String.valueOf(management));
            env.put("FLEETCORE_API_PORT", String.valueOf(FreePorts.next()));
            env.put("FLEETCORE_DATA_DIR", dataDir.toAbsolutePath().toString());
            // an empty setting removes the variable (the bench's own FLEETCORE_DB_URL is not the child's)
            settings.forEach((k, v) -> {
                if (v.isEmpty()) {
                    env.remove(k);
                } else {
                    env.put(k, v);
                }
            });
            env.putIfAbsent("FLEETCORE_LOG_LEVEL", "WARN");
            // every simulated device connects from 127.0.0.1: lift the per-address connection limit
            env.putIfAbsent("FLEETCORE_GATEWAY_MAX_CONNECTIONS_PER_IP", "20000");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            out.println("bench: starting fleetcore: " + String.join(" ", cmd) + " (log " + log + ")");
            long started = System.nanoTime();
            Server server = new Server(pb.start(), json, teltonika, management);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
            while (!reachable(json)) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("fleetcore exited with " + server.process.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("fleetcore did not open its json port in " + START_TIMEOUT_S + " s; see " + log);
                }
                Thread.sleep(200);
            }
            server.startupMillis = (System.nanoTime() - started) / 1_000_000;
            out.println("bench: fleetcore pid " + server.process.pid() + " up in " + server.startupMillis + " ms, RSS "
                    + server.rssKb() / 1024 + " MB");
            return server;
        }

        long rssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: fleetcore drains and exits
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
