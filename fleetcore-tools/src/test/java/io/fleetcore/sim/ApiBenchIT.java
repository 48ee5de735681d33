package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bench api} on a small fleet: it fills the database with its natural key in place at the end, times the
 * API alone (the feeds, which would publish every generated record from the process being timed, do not run),
 * and {@code --reuse-db} measures again on the kept database without filling it anew.
 */
class ApiBenchIT {

    static final String DB = TestServices.unique("fc_bench_api_it").toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    static final String ADMIN_URL = TestServices.newDatabase();
    static final FleetcoreConfig CONFIG = FleetcoreConfig.load(Map.of("fleetcore.db.url", ADMIN_URL, "fleetcore.db.user", "postgres"));

    @AfterAll
    static void dropTheBenchDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + DB + " with (force)");
        }
    }

    @Test
    void timesTheApiWithoutTheFeedsAndReusesAKeptDatabase() throws Exception {
        Path out = Path.of(TestServices.buildDir(), "api-bench-it");
        String first = run(false, out);
        assertThat(first).contains("5,000 of 5,000 records").doesNotContain("reusing");
        assertThat(Files.readString(out.resolve("api-report.json"))).contains("\"devices\": 50,").contains("\"p99_ms\"");
        assertThat(count("select count(*) from records")).isEqualTo(5000);
        assertThat(count("select count(*) from pg_constraint where conname = 'records_natural_key' and contype = 'u'"))
                .as("the natural key, dropped while filling, is back").isEqualTo(1);
        assertThat(count("select count(*) from pg_indexes where tablename = 'records_default'"
                + " and indexdef like 'CREATE UNIQUE INDEX % (device_uid, fix_time, content_hash)'")).isEqualTo(1);
        assertThat(count("select coalesce(sum(delivered), 0) + coalesce(sum(position), 0) from feed_cursors"))
                .as("no feed delivered the generated records while the API was timed").isZero();

        String second = run(true, out);
        assertThat(second).contains("reusing database " + DB).doesNotContain("of 5,000 records (");
        assertThat(Files.readString(out.resolve("api-report.json"))).contains("\"fill_seconds\": 0,");
        assertThat(count("select count(*) from records")).isEqualTo(5000);
    }

    private static String run(boolean reuse, Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = new ApiBench(CONFIG, 50, 5000, 20, 10, DB, true, reuse, out, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isIn(0, 1);
        assertThat(text).contains("first page: n=10").contains("random pages: n=10");
        return text;
    }

    private static long count(String sql) throws Exception {
        String url = ADMIN_URL.replaceFirst("/[^/?]*(\\?.*)?$", "/" + DB + "$1");
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
