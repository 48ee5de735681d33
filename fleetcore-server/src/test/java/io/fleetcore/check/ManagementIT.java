package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fleetcore.gateway.ConnectionTracker;
import io.fleetcore.store.RejectedFrames;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The management server of a running fleetcore, as an operator's curl or Prometheus sees it: health
 * reflects the database, the integrity metrics move as records flow, Jolokia answers Hawtio's questions
 * and refuses the dangerous ones, connection log lines carry the device id.
 */
class ManagementIT {

    static final String PACKET = "{\"device_number\":\"mgmt-dev\",\"event_code\":\"4002\","
            + "\"message_date\":\"2020/02/05 12:18:2%d\",\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
    static final String BAD = "{\"device_number\":\"mgmt-bad\",\"event_code\":\"4002\",\"message_date\":\"soon\","
            + "\"latitude\":\"37.9\",\"longitude\":\"23.7\"}";

    static RunningFleetcore fc;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static ListAppender<ILoggingEvent> connectionLog = new ListAppender<>();

    @BeforeAll
    static void start() {
        connectionLog.start();
        ((Logger) LoggerFactory.getLogger(ConnectionTracker.class)).addAppender(connectionLog);
        ((Logger) LoggerFactory.getLogger(RejectedFrames.class)).addAppender(connectionLog);
        fc = RunningFleetcore.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
        ((Logger) LoggerFactory.getLogger(ConnectionTracker.class)).detachAppender(connectionLog);
        ((Logger) LoggerFactory.getLogger(RejectedFrames.class)).detachAppender(connectionLog);
    }

    static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + fc.setting("fleetcore.management.port") + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As a page of this machine (or Hawtio's proxy, which forwards its page's Origin) posts it. */
    static HttpResponse<String> post(String path, String json) throws Exception {
        return post(path, json, Map.of("Origin", "http://127.0.0.1:8090"));
    }

    static HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + fc.setting("fleetcore.management.port") + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Refused: an HTTP error status, or Jolokia's 403 in the answer's body; never the operation's result. */
    static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode() == 403 || response.statusCode() == 405 || response.body().contains("\"status\":403"))
                .as("refused by the access policy: HTTP " + response.statusCode() + " " + response.body()).isTrue();
        assertThat(response.body()).doesNotContain("\"status\":200");
    }

    /** The value of one Prometheus sample, or -1 when absent. */
    static double sample(String scrape, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** One sample of a fresh scrape; -1 when absent or the scrape failed. */
    static double metric(String nameAndLabels) {
        try {
            return sample(get("/observe/metrics").body(), nameAndLabels);
        } catch (Exception e) {
            return -1;
        }
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void healthIsUpWithTheDatabaseReadinessCheck() throws Exception {
        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"UP\"")
                .contains("{\"name\":\"fleetcore-database\",\"status\":\"UP\"}")
                .contains("{\"name\":\"route:json-gateway\",\"status\":\"UP\"}");
        HttpResponse<String> ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("fleetcore-database").contains("{\"name\":\"fleetcore-gateways\",\"status\":\"UP\"");
        HttpResponse<String> live = get("/observe/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).doesNotContain("fleetcore-database");
    }

    @Test
    void readinessGoesDownWhileTheDatabaseIsUnreachableAndLivenessStaysUp() throws Exception {
        String db = TestServices.newDatabase();
        try (TcpProxy dbProxy = TcpProxy.forJdbc(db);
             RunningFleetcore other = RunningFleetcore.start(Map.of(
                     "fleetcore.db.url", dbProxy.jdbcUrl(db),
                     "test.db.direct-url", db,
                     "fleetcore.db.connection-timeout", "1s"))) {
            String base = "http://127.0.0.1:" + other.setting("fleetcore.management.port");
            assertThat(status(base + "/observe/health/ready")).isEqualTo(200);
            dbProxy.cut();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("{\"name\":\"fleetcore-database\",\"status\":\"DOWN\"");
            assertThat(status(base + "/observe/health/live")).isEqualTo(200);
            dbProxy.restore();
            await("ready again", () -> status(base + "/observe/health/ready") == 200);
        }
    }

    static int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void integrityMetricsMoveAsRecordsFlowAndCamelRouteMetricsAreInTheSameScrape() throws Exception {
        String before = get("/observe/metrics").body();
        double received0 = Math.max(0, sample(before, "fleetcore_records_received_total{protocol=\"json\"}"));
        double stored0 = Math.max(0, sample(before, "fleetcore_records_stored_total"));
        double acks0 = Math.max(0, sample(before, "fleetcore_ack_latency_seconds_count"));

        StringBuilder three = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            three.append(PACKET.formatted(i));
        }
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), three.toString(), 3, 5000)).isEqualTo("111");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), BAD, 1, 5000)).isEqualTo("0");

        HttpResponse<String> metrics = get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        String scrape = metrics.body();
        assertThat(sample(scrape, "fleetcore_records_received_total{protocol=\"json\"}")).isEqualTo(received0 + 3);
        assertThat(sample(scrape, "fleetcore_records_stored_total")).isEqualTo(stored0 + 3);
        assertThat(sample(scrape, "fleetcore_frames_rejected_total{protocol=\"json\",reason=\"bad-date\"}")).isEqualTo(1);
        // one log line per rejected frame, with its hex
        assertThat(messages()).anyMatch(m -> m.contains("json] rejected frame from device mgmt-bad: bad-date")
                && m.contains("7b226465766963655f6e756d626572223a226d676d742d626164"));
        // latency is recorded once the reply's write completed, which may be just after the device read it
        await("4 replies timed", () -> metric("fleetcore_ack_latency_seconds_count") == acks0 + 4);
        assertThat(scrape).contains("fleetcore_ack_latency_seconds_bucket{le=")
                .contains("fleetcore_records_dead_lettered_total")
                .contains("fleetcore_records_redelivered_total")
                .contains("fleetcore_records_parked_total");
        // Camel's own meters, same registry
        assertThat(scrape).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"json-gateway\"");
        // but not the exchange event notifier's per-endpoint timers: it searches the registry on every exchange
        assertThat(scrape).doesNotContain("camel_exchange_event_notifier");
        assertThat(scrape).contains("jvm_memory_used_bytes");
        await("connections gauge back to 0", () -> metric("fleetcore_connections{protocol=\"json\"}") == 0);
    }

    @Test
    void connectionsGaugeCountsOpenConnectionsAndLogLinesCarryTheDeviceId() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", fc.jsonPort())) {
            socket.getOutputStream().write(PACKET.formatted(7).replace("mgmt-dev", "mgmt-log").getBytes());
            assertThat(socket.getInputStream().read()).isEqualTo('1');
            assertThat(sample(get("/observe/metrics").body(), "fleetcore_connections{protocol=\"json\"}")).isGreaterThanOrEqualTo(1);
        }
        await("close line logged", () -> messages().stream().anyMatch(m -> m.contains("connection closed: device mgmt-log, 1 frames, 1 replies")));
        assertThat(messages()).anyMatch(m -> m.contains("device mgmt-log connected"));
    }

    static List<String> messages() {
        synchronized (connectionLog) {
            return connectionLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Test
    void jolokiaAnswersWhatHawtioAsksAndRefusesHeapDumps() throws Exception {
        HttpResponse<String> version = post("/observe/jolokia", """
                {"type":"version"}""");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"agent\"");

        HttpResponse<String> routes = post("/observe/jolokia", """
                {"type":"search","mbean":"org.apache.camel:type=routes,*"}""");
        assertThat(routes.body()).contains("json-gateway").contains("ingest").contains("\"status\":200");

        HttpResponse<String> source = post("/observe/jolokia", """
                {"type":"exec","mbean":"org.apache.camel:context=fleetcore,type=routes,name=\\"json-gateway\\"","operation":"dumpRouteAsXml()"}""");
        assertThat(source.body()).contains("\"status\":200").contains("decode-frame");

        HttpResponse<String> heap = post("/observe/jolokia", """
                {"type":"exec","mbean":"com.sun.management:type=HotSpotDiagnostic","operation":"dumpHeap","arguments":["/tmp/x.hprof",true]}""");
        assertThat(heap.body()).contains("\"status\":403");

        HttpResponse<String> write = post("/observe/jolokia", """
                {"type":"write","mbean":"java.lang:type=Memory","attribute":"Verbose","value":true}""");
        assertThat(write.body()).contains("\"status\":403");
    }

    static final String SQL_AS_SUPERUSER = """
            {"type":"exec","mbean":"org.apache.camel:context=fleetcore,type=context,name=\\"fleetcore\\"",
            "operation":"requestBody(java.lang.String,java.lang.Object)",
            "arguments":["sql:select current_setting('is_superuser') as su?dataSource=#dataSource",""]}""";

    @Test
    void jolokiaRefusesToRunEndpointsSoTheDatabaseIsNotHandedOut() throws Exception {
        HttpResponse<String> sql = post("/observe/jolokia", SQL_AS_SUPERUSER);
        assertRefused(sql);
        assertThat(sql.body()).doesNotContain("\"su\"");
        for (String operation : List.of("sendBody(java.lang.String,java.lang.Object)", "createEndpoint(java.lang.String)")) {
            String arguments = operation.startsWith("send") ? "[\"log:x\",\"\"]" : "[\"log:x\"]";
            assertRefused(post("/observe/jolokia", """
                    {"type":"exec","mbean":"org.apache.camel:context=fleetcore,type=context,name=\\"fleetcore\\"",
                    "operation":"%s","arguments":%s}""".formatted(operation, arguments)));
        }
    }

    @Test
    void jolokiaRefusesToStopTheContextOrARoute() throws Exception {
        assertRefused(post("/observe/jolokia", """
                {"type":"exec","mbean":"org.apache.camel:context=fleetcore,type=context,name=\\"fleetcore\\"","operation":"stop()"}"""));
        for (String operation : List.of("stop()", "suspend()", "remove()")) {
            assertRefused(post("/observe/jolokia", """
                    {"type":"exec","mbean":"org.apache.camel:context=fleetcore,type=routes,name=\\"json-gateway\\"","operation":"%s"}"""
                    .formatted(operation)));
        }
        assertThat(fc.server().camelContext().getStatus().isStarted()).isTrue();
        assertThat(fc.server().camelContext().getRouteController().getRouteStatus("json-gateway").isStarted()).isTrue();
    }

    @Test
    void jolokiaRefusesAForeignOriginAndGetButAnswersPagesOfThisMachine() throws Exception {
        String search = """
                {"type":"search","mbean":"org.apache.camel:type=routes,*"}""";
        HttpResponse<String> foreign = post("/observe/jolokia", search, Map.of("Origin", "http://evil.example"));
        assertThat(foreign.statusCode() >= 400 || foreign.body().contains("\"status\":403"))
                .as("foreign origin refused: " + foreign.statusCode() + " " + foreign.body()).isTrue();
        assertThat(foreign.body()).doesNotContain("json-gateway").doesNotContain("\"status\":200");
        HttpResponse<String> noOrigin = post("/observe/jolokia", search, Map.of());
        assertThat(noOrigin.body()).as("strict checking: no Origin, no answer").doesNotContain("json-gateway");

        HttpResponse<String> local = post("/observe/jolokia", search,
                Map.of("Origin", "http://127.0.0.1:" + fc.setting("fleetcore.management.port")));
        assertThat(local.body()).contains("json-gateway").contains("\"status\":200");

        // GET (what an <img src> or a link in any page could do) is refused, even a harmless read
        for (String path : List.of("/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                "/observe/jolokia/exec/org.apache.camel:context=fleetcore,type=context,name=%22fleetcore%22/stop()")) {
            HttpResponse<String> viaGet = get(path);
            assertThat(viaGet.statusCode() >= 400 || viaGet.body().matches("(?s).*\"status\":(403|405|500).*"))
                    .as("GET refused: " + viaGet.statusCode() + " " + viaGet.body()).isTrue();
            assertThat(viaGet.body()).doesNotContain("\"status\":200").doesNotContain("\"used\"");
        }
        assertThat(fc.server().camelContext().getStatus().isStarted()).isTrue();
    }

    @Test
    void managementAuthenticationGuardsJolokiaWithAGeneratedPasswordAndLeavesHealthOpen() throws Exception {
        try (RunningFleetcore secured = RunningFleetcore.start(Map.of("camel.management.authentication-enabled", "true"))) {
            java.nio.file.Path users = java.nio.file.Path.of(secured.setting("fleetcore.data-dir"), "management-users.properties");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(users)))
                    .isEqualTo("rw-------");
            String password = java.nio.file.Files.readString(users.resolveSibling("management-users.properties.password")).trim();
            assertThat(java.nio.file.Files.readString(users)).startsWith("user.fleetcore=" + password + ",admin");

            URI jolokia = URI.create("http://127.0.0.1:" + secured.setting("fleetcore.management.port") + "/observe/jolokia");
            HttpRequest.Builder version = HttpRequest.newBuilder(jolokia).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).header("Origin", "http://127.0.0.1:8090");
            HttpResponse<String> anonymous = http.send(version.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = http.send(version.copy().header("Authorization", basic("fleetcore", "guess")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> operator = http.send(version.copy().header("Authorization", basic("fleetcore", password)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(operator.statusCode()).isEqualTo(200);
            assertThat(operator.body()).contains("\"agent\"").contains("\"status\":200");
            // what an orchestrator and Prometheus use stays open
            assertThat(status("http://127.0.0.1:" + secured.setting("fleetcore.management.port") + "/observe/health/live")).isEqualTo(200);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
