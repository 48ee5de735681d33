package io.fleetcore.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.FleetcoreServer;
import io.fleetcore.api.ApiParameters;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code fleetcore bench api}: the read API's latency at fleet scale. Fills a database of its own with
 * {@code devices} devices and {@code records} records (generate_series, in chunks), starts fleetcore on it in
 * this process, then times {@code GET /api/v1/positions/latest} pages (the first one and pages after random
 * cursors, one request at a time) and reports p50/p99/max. The database is dropped afterwards unless kept.
 */
public final class ApiBench {

    private static final String KEY = "bench-api-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetcoreConfig config;
    private final int devices;
    private final long records;
    private final int requests;
    private final int pageSize;
    private final String dbName;
    private final boolean keepDb;
    private final boolean reuseDb;
    private final Path out;
    private final PrintStream log;

    public ApiBench(FleetcoreConfig config, int devices, long records, int requests, int pageSize, String dbName,
                    boolean keepDb, boolean reuseDb, Path out, PrintStream log) {
        this.config = config;
        this.devices = devices;
        this.records = records;
        this.requests = requests;
        this.pageSize = pageSize;
        this.dbName = dbName;
        this.keepDb = keepDb || reuseDb;
        this.reuseDb = reuseDb;
        this.out = out;
        this.log = log;
    }

    public int run() throws Exception {
        String adminUrl = config.dbUrl();
        if (adminUrl.isEmpty()) {
            throw new IllegalStateException("bench api needs FLEETCORE_DB_URL (a PostgreSQL server it may create a database on)");
        }
        String url = adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + dbName + "$1");
        boolean reuse = reuseDb && holdsTheFleet(url);
        if (reuse) {
            log.printf(Locale.ROOT, "bench api: reusing database %s (%,d devices, %,d records)%n", dbName, devices, records);
        } else {
            admin(adminUrl, "drop database if exists " + dbName + " with (force)", "create database " + dbName);
        }
        try {
            int apiPort = FreePorts.next();
            Map<String, String> settings = new HashMap<>();
            settings.put("fleetcore.db.url", url);
            settings.put("fleetcore.api.port", String.valueOf(apiPort));
            settings.put("fleetcore.api.keys", "bench:" + KEY + ":read");
            settings.put("fleetcore.json.port", String.valueOf(FreePorts.next()));
            settings.put("fleetcore.teltonika.port", String.valueOf(FreePorts.next()));
            settings.put("fleetcore.gt06.port", String.valueOf(FreePorts.next()));
            settings.put("fleetcore.management.port", String.valueOf(FreePorts.next()));
            settings.put("fleetcore.amqp.embedded-port", String.valueOf(FreePorts.next()));
            settings.put("fleetcore.data-dir", out.resolve("api-bench-data").toString());
            settings.put("fleetcore.quality.cron", "0 0 0 1 1 ? 2099");
            // the feeds would publish every generated record (ten million behind at start) from the process
            // being timed, and count their lag over the whole table every second: not what this bench measures
            settings.put("fleetcore.feed.records.enabled", "false");
            settings.put("fleetcore.feed.events.enabled", "false");
            try (FleetcoreServer server = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
                long fill = reuse ? 0 : fill(url);
                Map<String, Histogram> results = measure(apiPort);
                report(fill, results);
                Histogram first = results.get("first page");
                Histogram any = results.get("random pages");
                boolean ok = first.getValueAtPercentile(99) / 1000.0 < 50 && any.getValueAtPercentile(99) / 1000.0 < 50;
                log.println("bench api: p99 under 50 ms: " + (ok ? "yes" : "NO"));
                return ok ? 0 : 1;
            }
        } finally {
            if (!keepDb) {
                admin(adminUrl, "drop database if exists " + dbName + " with (force)");
                log.println("bench api: dropped database " + dbName);
            }
        }
    }

    /**
     * Devices, then records in chunks of a million: each device gets records/devices fixes a minute apart. The
     * natural key is dropped while the records go in and built again by one sort at the end (ten million
     * random insertions into it made most of the fill time); nothing else writes records meanwhile. The records
     * trigger that keeps latest_records is off meanwhile too: latest_records is filled once at the end.
     */
    private long fill(String url) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, config.dbUser(), config.dbPassword());
             Statement st = c.createStatement()) {
            st.execute("set synchronous_commit = off");
            st.execute("set maintenance_work_mem = '512MB'");
            st.execute("alter table records drop constraint records_natural_key");
            // latest_records is filled once at the end, from the natural key, instead of by the records trigger
            // sorting each million-row chunk
            st.execute("alter table records disable trigger records_latest");
            st.execute("insert into devices (device_uid, protocol) select 'bench-' || lpad(i::text, 7, '0'), 'teltonika'"
                    + " from generate_series(1, " + devices + ") i");
            long chunk = 1_000_000;
            for (long from = 0; from < records; from += chunk) {
                long to = Math.min(records, from + chunk) - 1;
                st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, speed_kmh, angle,"
                        + " satellites, event_code, protocol, obd, io, received_at)"
                        + " select 'bench-' || lpad((i % " + devices + " + 1)::text, 7, '0'),"
                        + " timestamptz '2024-01-01 00:00:00+00' + (i / " + devices + ") * interval '1 minute',"
                        + " md5(i::text), 35 + (i % 997) * 0.01, 20 + (i % 991) * 0.01, i % 120, (i % 360)::int, 9, '0', 'teltonika',"
                        + " jsonb_build_object('rpm', 800 + i % 3000, 'coolant_temp_c', 80 + i % 20),"
                        // the IO of a typical FMB record: every one has a name in io_named
                        + " jsonb_build_object('239', i % 2, '240', i % 2, '21', i % 5, '66', 12000 + i % 1000, '67', 4000 + i % 100,"
                        + " '16', i * 13, '69', 1, '181', 8 + i % 10, '182', 6 + i % 8, '113', i % 101), now()"
                        + " from generate_series(" + from + ", " + to + ") i");
                log.printf(Locale.ROOT, "bench api: %,d of %,d records (%.0f s)%n", to + 1, records, (System.nanoTime() - start) / 1e9);
            }
            st.execute("alter table records add constraint records_natural_key unique (device_uid, fix_time, content_hash)");
            log.printf(Locale.ROOT, "bench api: natural key built (%.0f s)%n", (System.nanoTime() - start) / 1e9);
            st.execute("select latest_records_refresh(array(select device_uid from devices))");
            st.execute("alter table records enable trigger records_latest");
            log.printf(Locale.ROOT, "bench api: latest_records filled (%.0f s)%n", (System.nanoTime() - start) / 1e9);
            st.execute("vacuum analyze devices");
            st.execute("vacuum analyze records");
            st.execute("vacuum analyze latest_records");
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    }

    /** Whether database {@code dbName} exists and holds exactly the fleet this run asks for (from an earlier run of this version). */
    private boolean holdsTheFleet(String url) {
        try (Connection c = DriverManager.getConnection(url, config.dbUser(), config.dbPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from devices), (select count(*) from records),"
                     + " (select count(*) from latest_records where protocol <> 'teltonika')")) {
            rs.next();
            if (rs.getLong(3) > 0) {
                log.println("bench api: " + dbName + " was filled by an earlier version (not Teltonika records), filling it anew");
                return false;
            }
            return rs.getLong(1) == devices && rs.getLong(2) == records;
        } catch (SQLException e) {
            log.println("bench api: no database " + dbName + " to reuse (" + e.getMessage() + "), filling a new one");
            return false;
        }
    }

    /**
     * Times the pages one request at a time on one kept-alive connection. The 50 warm-up pages are read whole and
     * parsed (every item a JSON object, as many as asked, devices in order, {@code next} the last one's cursor);
     * the timed ones are read and counted by {@link PageClient}, which checks each is complete and well-formed
     * without copying or parsing it.
     */
    private Map<String, Histogram> measure(int port) throws Exception {
        Random random = new Random(15);
        Map<String, Histogram> results = new java.util.LinkedHashMap<>();
        Histogram first = new Histogram(60_000_000L, 3);
        Histogram any = new Histogram(60_000_000L, 3);
        long bytes = 0;
        try (PageClient http = new PageClient("127.0.0.1", port)) {
            for (int i = 0; i < requests + 50; i++) {
                boolean warm = i < 50;
                boolean firstPage = i % 2 == 0;
                int after = firstPage ? 0 : 1 + random.nextInt(Math.max(1, devices - pageSize));
                String cursor = firstPage ? null : ApiParameters.encodeCursor(deviceUid(after));
                String next = after + pageSize <= devices ? ApiParameters.encodeCursor(deviceUid(after + pageSize)) : null;
                String target = "/api/v1/positions/latest?limit=" + pageSize + (cursor == null ? "" : "&cursor=" + cursor);
                long t0 = System.nanoTime();
                PageClient.Response r = http.get(target, KEY, warm);
                long micros = (System.nanoTime() - t0) / 1000;
                String wrong = PageClient.checkPage(r, next);
                if (wrong == null && warm) {
                    wrong = checkWhole(r.body(), after, next);
                }
                if (wrong != null) {
                    throw new IllegalStateException("GET " + target + ": " + wrong);
                }
                if (!warm) {
                    (firstPage ? first : any).recordValue(micros);
                    bytes += r.bytes();
                }
            }
        }
        log.printf(Locale.ROOT, "bench api: %d timed requests, %.0f kB per page on average%n", requests, bytes / 1024.0 / requests);
        results.put("first page", first);
        results.put("random pages", any);
        return results;
    }

    private static String deviceUid(int n) {
        return "bench-" + String.format(Locale.ROOT, "%07d", n);
    }

    /** Null when a warm-up page, parsed whole, holds the devices after {@code after} in order and {@code next}; else what is wrong. */
    private String checkWhole(byte[] body, int after, String next) throws IOException {
        JsonNode page = JSON.readTree(body);
        int expected = Math.min(pageSize, devices - after);
        if (page.path("items").size() != expected) {
            return page.path("items").size() + " items, expected " + expected;
        }
        for (int k = 0; k < expected; k++) {
            String device = page.path("items").path(k).path("device_id").asText();
            if (!device.equals(deviceUid(after + 1 + k))) {
                return "item " + k + " is device " + device + ", expected " + deviceUid(after + 1 + k);
            }
        }
        boolean nextRight = next == null ? page.path("next").isNull() : next.equals(page.path("next").asText());
        return nextRight ? null : "next " + page.path("next") + ", expected " + next;
    }

    private void report(long fillSeconds, Map<String, Histogram> results) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"devices\": %d,%n  \"records\": %d,%n  \"page_size\": %d,%n  \"fill_seconds\": %d,%n",
                devices, records, pageSize, fillSeconds));
        int n = 0;
        for (Map.Entry<String, Histogram> e : results.entrySet()) {
            Histogram h = e.getValue();
            String line = String.format(Locale.ROOT, "GET /api/v1/positions/latest?limit=%d, %s: n=%d p50=%.1f ms p99=%.1f ms p99.9=%.1f ms max=%.1f ms",
                    pageSize, e.getKey(), h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
            log.println("bench api: " + line);
            json.append(String.format(Locale.ROOT, "  \"%s\": {\"n\": %d, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"p99_9_ms\": %.1f, \"max_ms\": %.1f}%s%n",
                    e.getKey().replace(' ', '_'), h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
                    ++n < results.size() ? "," : ""));
        }
        json.append("}\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("api-report.json"), json);
        log.println("bench api: report in " + out.resolve("api-report.json"));
    }

    private void admin(String adminUrl, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, config.dbUser(), config.dbPassword());
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
