package io.fleetcore.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.Eventually;
import io.fleetcore.check.WebhookReceiver;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.store.EmbeddedDatabase;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar target/fleetcore.jar} as built (shaded, with what the size cuts left out) on embedded defaults —
 * no database URL, no broker URI, its own data dir and free ports — takes a json frame and a Teltonika packet,
 * ACKs both once stored (rows in its embedded PostgreSQL), and serves health, Prometheus metrics (text and
 * OpenMetrics, also to a scraper that prefers protobuf), the OpenAPI document, the device list with a key and the
 * fleet page with its Leaflet files, and POSTs a device event (a Teltonika crash) to the alert webhook (camel-http
 * with HttpClient 5). A class or resource that a cut removed (the size cuts, the build's shrinking of plain
 * libraries to their reached classes) and a feature needs fails here.
 */
class ServerJarEmbeddedIT {

    static final String KEY = "jar-it-key-0123456789";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theServerJarRunsOnEmbeddedDefaults() throws Exception {
        Path dataDir = Path.of(TestServices.buildDir(), TestServices.unique("jar-embedded")).toAbsolutePath();
        int json = TestServices.freePort();
        int teltonika = TestServices.freePort();
        int management = TestServices.freePort();
        int api = TestServices.freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("fleetcore.db.url", "");
        settings.put("fleetcore.amqp.uri", "");
        settings.put("fleetcore.amqp.embedded-port", String.valueOf(TestServices.freePort()));
        settings.put("fleetcore.data-dir", dataDir.toString());
        settings.put("fleetcore.bind-host", "127.0.0.1");
        settings.put("fleetcore.json.port", String.valueOf(json));
        settings.put("fleetcore.teltonika.port", String.valueOf(teltonika));
        settings.put("fleetcore.gt06.port", String.valueOf(TestServices.freePort()));
        settings.put("fleetcore.management.port", String.valueOf(management));
        settings.put("fleetcore.api.port", String.valueOf(api));
        settings.put("fleetcore.api.keys", "jar-it:" + KEY + ":read");
        WebhookReceiver webhook = new WebhookReceiver();
        settings.put("fleetcore.alert.webhook", webhook.url());
        Map<String, String> env = new HashMap<>();
        settings.forEach((k, v) -> env.put(FleetcoreConfig.envName(k), v));

        try (webhook;
             JarProcess jar = JarProcess.start(List.of(), env, dataDir.resolveSibling(dataDir.getFileName() + ".log"))) {
            jar.awaitPort(json, Duration.ofSeconds(180));
            jar.awaitPort(api, Duration.ofSeconds(60));

            String frame = "{\"device_number\":\"jar-json-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                    + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
            assertThat(RunningFleetcore.exchange(json, frame, 1, 15000)).as("json ACK").isEqualTo("1");
            assertThat(teltonikaAck(teltonika, TeltonikaVectors.V2)).as("Teltonika ACK: one record stored").isEqualTo(1);

            Path clusterDir = EmbeddedDatabase.clusterDir(dataDir);
            String port = Files.readAllLines(clusterDir.resolve("postmaster.pid")).get(3).trim();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    EmbeddedDatabase.SUPERUSER, EmbeddedDatabase.password(dataDir));
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select device_uid, protocol from records order by device_uid")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo(TeltonikaVectors.IMEI + " teltonika");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("jar-json-1 json");
                assertThat(rs.next()).isFalse();
            }

            assertThat(teltonikaAck(teltonika, TeltonikaVectors.CRASH)).as("the crash record stored").isEqualTo(1);
            Eventually.within(Duration.ofSeconds(30), "the crash event POSTed to the webhook", () -> !webhook.received().isEmpty());
            assertThat(webhook.received()).as("the crash event POSTed to the webhook").hasSize(1);
            assertThat(webhook.about(TeltonikaVectors.IMEI)).hasSize(1);
            assertThat(webhook.about(TeltonikaVectors.IMEI).get(0).toString()).contains("\"crash\"");

            String base = "http://127.0.0.1:" + management;
            HttpResponse<String> health = get(base + "/observe/health", Map.of());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"UP\"").contains("{\"name\":\"fleetcore-postgresql\",\"status\":\"UP\"");

            HttpResponse<String> metrics = get(base + "/observe/metrics", Map.of());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
            assertThat(metrics.body()).contains("# TYPE fleetcore_records_stored_total counter")
                    .containsPattern("(?m)^fleetcore_records_stored_total(\\{[^}]*\\})? 3\\.0$"); // json, V2, crash
            // Prometheus 3's default Accept (OpenMetrics preferred)
            HttpResponse<String> openMetrics = get(base + "/observe/metrics", Map.of("Accept",
                    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;"
                            + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"));
            assertThat(openMetrics.statusCode()).isEqualTo(200);
            assertThat(openMetrics.headers().firstValue("Content-Type")).get().asString().startsWith("application/openmetrics-text");
            assertThat(openMetrics.body()).contains("# TYPE fleetcore_records_stored counter").endsWith("# EOF\n");
            // what Prometheus sends with native histograms on: protobuf first (its writer is not in the jar)
            HttpResponse<String> protobufFirst = get(base + "/observe/metrics", Map.of("Accept",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,"
                            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"));
            assertThat(protobufFirst.statusCode()).isEqualTo(200);
            assertThat(protobufFirst.body()).contains("# TYPE fleetcore_records_stored_total counter");

            String apiBase = "http://127.0.0.1:" + api;
            HttpResponse<String> openapi = get(apiBase + "/api/v1/openapi.json", Map.of());
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body()).contains("\"openapi\"").contains("/devices");
            assertThat(get(apiBase + "/api/v1/devices", Map.of()).statusCode()).as("no key").isEqualTo(401);
            HttpResponse<String> devices = get(apiBase + "/api/v1/devices", Map.of("X-API-Key", KEY));
            assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
            assertThat(devices.body()).contains("\"jar-json-1\"").contains("\"" + TeltonikaVectors.IMEI + "\"");

            HttpResponse<String> page = get(apiBase + "/", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/webjars/leaflet/1.9.4/dist/leaflet.js");
            for (String asset : new String[] {"dist/leaflet.js", "dist/leaflet.css", "dist/images/marker-icon.png"}) {
                HttpResponse<String> file = get(apiBase + "/webjars/leaflet/1.9.4/" + asset, Map.of());
                assertThat(file.statusCode()).as(asset).isEqualTo(200);
                assertThat(file.body()).as(asset).isNotEmpty();
            }
            assertThat(jar.terminate(Duration.ofSeconds(60))).as("clean exit on SIGTERM").isEqualTo(0);
        }
    }

    /** Teltonika over TCP: IMEI login (ACK 01), then one Codec 8 packet; returns the server's record count reply. */
    private static int teltonikaAck(int port, String packet) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(HexFormat.of().parseHex(TeltonikaVectors.LOGIN));
            out.flush();
            assertThat(in.readUnsignedByte()).as("login accepted").isEqualTo(1);
            out.write(HexFormat.of().parseHex(packet));
            out.flush();
            return in.readInt();
        }
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
