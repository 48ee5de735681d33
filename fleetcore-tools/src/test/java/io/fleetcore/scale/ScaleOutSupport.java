package io.fleetcore.scale;

import io.fleetcore.sim.Audit;
import io.fleetcore.sim.Simulator;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.TestServices;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/** What the scale-out tests share: fleetcore jar processes, simulated devices with a ledger, the audit. */
final class ScaleOutSupport {

    private ScaleOutSupport() {
    }

    /** One fleetcore process: its ports and its process. */
    record Instance(String name, int jsonPort, int teltonikaPort, int managementPort, JarProcess process) {
    }

    /** Starts {@code java -jar fleetcore.jar} with the given settings (env), its own ports and data dir. */
    static Instance start(String name, Path dir, Map<String, String> settings) throws Exception {
        int json = TestServices.freePort();
        int management = TestServices.freePort();
        int teltonika = TestServices.freePort();
        Map<String, String> env = new HashMap<>(settings);
        env.put("FLEETCORE_BIND_HOST", "127.0.0.1");
        env.put("FLEETCORE_JSON_PORT", String.valueOf(json));
        env.put("FLEETCORE_TELTONIKA_PORT", String.valueOf(teltonika));
        env.put("FLEETCORE_GT06_PORT", String.valueOf(TestServices.freePort()));
        env.put("FLEETCORE_MANAGEMENT_PORT", String.valueOf(management));
        env.put("FLEETCORE_DATA_DIR", dir.resolve("data-" + name).toAbsolutePath().toString());
        env.put("FLEETCORE_INSTANCE_ID", name);
        env.put("FLEETCORE_ROUTES", Path.of("routes").toAbsolutePath().toString());
        JarProcess process = JarProcess.start(List.of(), env, dir.resolve(name + ".log"));
        process.awaitPort(json, Duration.ofSeconds(180));
        return new Instance(name, json, teltonika, management, process);
    }

    /** Simulated json devices against {@code port} in the background, ACKs written to the ledger. */
    static CompletableFuture<Simulator.Result> simulate(int port, int devices, double rate, Duration time, Path ledger, PrintStream out) {
        Simulator.Settings settings = new Simulator.Settings("127.0.0.1", port, Simulator.Protocol.JSON, devices, 1,
                rate, time, 0, ledger, Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ZERO, true, 2,
                Duration.ofSeconds(5));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Simulator(settings, out).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Audits the ledger until it is clean or {@code timeout} passed; returns the last audit. */
    static Audit.Result audit(Path ledger, String jdbcUrl, Duration timeout) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser("postgres");
        long deadline = System.nanoTime() + timeout.toNanos();
        Audit.Result result = Audit.run(ledger, ds);
        while (!result.clean() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            result = Audit.run(ledger, ds);
        }
        return result;
    }

    static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); var st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A counter of fleetcore's Prometheus endpoint, 0 when absent. */
    static double metric(int managementPort, String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(r.body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    static Path dir(String name) throws Exception {
        Path dir = Path.of(TestServices.buildDir(), name + "-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        return dir;
    }
}
