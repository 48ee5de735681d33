package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load, to the real jar in its own process: fleetcore stops accepting, finishes every
 * in-flight exchange (its ACK is sent), and exits 0 within the shutdown timeout. Every record a device got
 * its '1' for is in PostgreSQL afterwards.
 */
class GracefulShutdownIT {

    static final int DEVICES = 40;
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void sigtermUnderLoadDrainsInFlightExchangesAndLosesNoAckedRecord() throws Exception {
        String db = TestServices.newDatabase();
        int jsonPort = TestServices.freePort();
        Path log = Path.of(TestServices.buildDir(), "graceful-shutdown", TestServices.unique("fleetcore") + ".log");
        Map<String, String> env = Map.of(
                "FLEETCORE_DB_URL", db,
                "FLEETCORE_DB_USER", "postgres",
                "FLEETCORE_BIND_HOST", "127.0.0.1",
                "FLEETCORE_JSON_PORT", String.valueOf(jsonPort),
                "FLEETCORE_MANAGEMENT_PORT", String.valueOf(TestServices.freePort()),
                "FLEETCORE_API_PORT", String.valueOf(TestServices.freePort()),
                "FLEETCORE_DATA_DIR", Path.of(TestServices.buildDir(), TestServices.unique("data-shutdown")).toString(),
                // a slow batch keeps many exchanges in flight at the moment of SIGTERM
                "FLEETCORE_STORE_BATCH_WAIT", "250ms",
                "CAMEL_MAIN_SHUTDOWN_TIMEOUT", String.valueOf(SHUTDOWN_TIMEOUT.toSeconds()),
                // levels from the environment: DEBUG logs every frame in hex
                "FLEETCORE_LOG_LEVEL", "DEBUG");

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicLong ackedAfterSigterm = new AtomicLong();
        AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService devices = Executors.newFixedThreadPool(DEVICES);
        try (JarProcess fc = JarProcess.start(List.of(), env, log)) {
            fc.awaitPort(jsonPort, Duration.ofSeconds(90));
            for (int d = 0; d < DEVICES; d++) {
                String device = "drain-" + d;
                devices.submit(() -> sendUntilRefused(jsonPort, device, acked, ackedAfterSigterm, sigtermAt));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acked.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acked).as("load before SIGTERM").hasSizeGreaterThanOrEqualTo(300);

            sigtermAt.set(System.nanoTime());
            long start = System.nanoTime();
            int exit = fc.terminate(SHUTDOWN_TIMEOUT.plusSeconds(15));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(exit).as("exit code after SIGTERM (-1: still running); log:\n" + fc.log()).isZero();
            assertThat(took).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(10));
            assertThat(TestServices.reachable("127.0.0.1", jsonPort)).as("port closed").isFalse();
            assertThat(fc.log()).contains("connection closed: device drain-")
                    .containsPattern("DEBUG .* json\\] 7b226465766963655f6e756d626572223a22647261696e2d");
        } finally {
            devices.shutdown();
            assertThat(devices.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "select device_uid, fix_time from records where device_uid like 'drain-%'")) {
            while (rs.next()) {
                stored.add(rs.getString(1) + "@" + rs.getTimestamp(2).toInstant());
            }
        }
        assertThat(ackedAfterSigterm.get()).as("in-flight exchanges finished and ACKed after SIGTERM").isPositive();
        assertThat(stored).as("every ACKed record is stored").containsAll(acked);
    }

    /** One device: a record at a time on one connection, each fix a second later; stops when refused. */
    static void sendUntilRefused(int port, String device, Set<String> acked, AtomicLong ackedAfterSigterm, AtomicLong sigtermAt) {
        Instant fix = Instant.parse("2021-03-01T00:00:00Z");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 100_000; i++) {
                fix = fix.plusSeconds(1);
                String time = fix.toString().replace('-', '/').replace('T', ' ').replace("Z", "");
                out.write(("{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"" + time
                        + "\",\"latitude\":\"37.98\",\"longitude\":\"23.73\"}").getBytes(StandardCharsets.UTF_8));
                out.flush();
                int reply = in.read();
                if (reply != '1') {
                    return;
                }
                acked.add(device + "@" + fix);
                if (System.nanoTime() > sigtermAt.get()) {
                    ackedAfterSigterm.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // refused, reset or closed by the shutdown: whatever was not ACKed the device keeps
        }
    }
}
