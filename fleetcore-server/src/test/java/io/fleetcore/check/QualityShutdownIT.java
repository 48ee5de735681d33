package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.Database;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: SIGTERM while the quality route works through a backlog of 200,000 records. The JVM used to wait
 * for the whole run; now the check stops after its current chunk, the process exits 0 within
 * {@code camel.main.shutdown-timeout}, and the next start resumes from the saved watermark (it does not
 * examine the first part again) and finds every finding exactly once. Two jar starts: about 2.5 min, -Pfull.
 */
@Tag("slow")
class QualityShutdownIT {

    static final int RECORDS = 200_000;
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    static final Pattern EXAMINED = Pattern.compile("quality: examined (\\d+) records up to id (\\d+)");

    @Test
    void sigtermDuringALargeBacklogExitsWithinTheShutdownTimeoutAndTheNextStartResumes() throws Exception {
        String db = TestServices.newDatabase();
        try (Database schema = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", db)));
             Connection c = schema.dataSource().getConnection(); Statement st = c.createStatement()) {
            // 1,000 devices; device 7 reports latitude 120: one finding per its record, spread over every chunk
            st.execute("""
                    insert into records (device_uid, fix_time, content_hash, latitude, longitude, speed_kmh, event_code, protocol)
                    select 'bl-' || (g % 1000), now() - interval '1 hour' + (g / 1000) * interval '1 second', 'h' || g,
                           case when g % 1000 = 7 then 120 else 37.9 + (g % 1000) * 0.0001 end, 23.7, 50, '4002', 'json'
                    from generate_series(1, RECORDS) g""".replace("RECORDS", String.valueOf(RECORDS)));
            st.execute("analyze records");
        }
        Path dir = Path.of(TestServices.buildDir(), "quality-shutdown", TestServices.unique("run"));
        Map<String, String> env = Map.ofEntries(
                Map.entry("FLEETCORE_DB_URL", db),
                Map.entry("FLEETCORE_DB_USER", "postgres"),
                Map.entry("FLEETCORE_BIND_HOST", "127.0.0.1"),
                Map.entry("FLEETCORE_JSON_PORT", String.valueOf(TestServices.freePort())),
                Map.entry("FLEETCORE_TELTONIKA_PORT", String.valueOf(TestServices.freePort())),
                Map.entry("FLEETCORE_GT06_PORT", String.valueOf(TestServices.freePort())),
                Map.entry("FLEETCORE_MANAGEMENT_PORT", String.valueOf(TestServices.freePort())),
                Map.entry("FLEETCORE_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("FLEETCORE_AMQP_EMBEDDED_PORT", String.valueOf(TestServices.freePort())),
                Map.entry("FLEETCORE_QUALITY_CRON", "* * * * * ?"),
                Map.entry("FLEETCORE_QUALITY_CHUNK_SIZE", "2000"),
                Map.entry("CAMEL_MAIN_SHUTDOWN_TIMEOUT", String.valueOf(SHUTDOWN_TIMEOUT.toSeconds())));

        long[] first;
        try (JarProcess fc = JarProcess.start(List.of(), env, dir.resolve("first.log"))) {
            await(db, "select count(*) > 0 from quality_findings", Duration.ofSeconds(120), fc);
            long start = System.nanoTime();
            int exit = fc.terminate(SHUTDOWN_TIMEOUT.plusSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(exit).as("exit code after SIGTERM; log:\n" + tail(fc.log())).isZero();
            assertThat(took).as("SIGTERM to exit").isLessThan(SHUTDOWN_TIMEOUT);
            assertThat(fc.log()).contains("quality: stopping");
            first = watermark(db);
        }
        assertThat(first[1]).as("scanned when stopped").isPositive().isLessThan(RECORDS);
        assertThat(count(db, "select count(*) from quality_findings")).isLessThan(200);

        try (JarProcess fc = JarProcess.start(List.of(), env, dir.resolve("second.log"))) {
            await(db, "select checked_to = " + RECORDS + " from check_watermarks where check_name = 'quality'", Duration.ofSeconds(180), fc);
            Matcher m = EXAMINED.matcher(fc.log());
            assertThat(m.find()).as("a completed run in the log").isTrue();
            assertThat(Long.parseLong(m.group(1))).as("the resumed run examines only what was left")
                    .isEqualTo(RECORDS - first[1]);
            assertThat(Long.parseLong(m.group(2))).isEqualTo(RECORDS);
            assertThat(fc.terminate(SHUTDOWN_TIMEOUT.plusSeconds(60))).isZero();
        }
        assertThat(count(db, "select count(*) from quality_findings")).isEqualTo(200);
        assertThat(count(db, "select count(distinct record_id) from quality_findings where rule_code = 'coordinates_out_of_range'"))
                .isEqualTo(200);
    }

    static long[] watermark(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select checked_to, horizon_id from check_watermarks where check_name = 'quality'")) {
            assertThat(rs.next()).isTrue();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void await(String db, String condition, Duration timeout, JarProcess fc) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(db, "postgres", ""); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select coalesce((" + condition + "), false)")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // the table appears once the check ran
            }
            assertThat(fc.process().isAlive()).as("fleetcore running; log:\n" + tail(fc.log())).isTrue();
            assertThat(System.nanoTime()).as("waiting for " + condition + "; log:\n" + tail(fc.log())).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
