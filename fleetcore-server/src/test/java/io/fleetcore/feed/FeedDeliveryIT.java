package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.fleetcore.check.Alert;
import io.fleetcore.check.AlertPublisher;
import io.fleetcore.cli.FeedCommand;
import io.fleetcore.store.RecordJson;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The default feeds of a whole fleetcore against the real RabbitMQ: every stored record reaches the durable
 * topic exchange, also when the broker was unreachable for a while (stored meanwhile, published after it came
 * back, nothing lost), and alerts reach the events exchange.
 */
class FeedDeliveryIT {

    static String packet(String device, int second) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"2026/11/20 10:00:"
                + String.format("%02d", second) + "\",\"latitude\":\"37.98\",\"longitude\":\"23.73\"}";
    }

    static void await(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A durable queue of this test bound to {@code exchange} for {@code pattern}. */
    static String bind(String exchange, String pattern) throws Exception {
        String queue = TestServices.unique("feed-it");
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueDeclare(queue, true, false, false, Map.of());
            ch.queueBind(queue, exchange, pattern);
        }
        return queue;
    }

    record Received(String routingKey, boolean persistent, String messageId, JsonNode json) {

        /** The records the message carries (layout 2: its {@code records}). */
        List<JsonNode> records() {
            return RecordMessages.records(json);
        }
    }

    static List<Received> take(String queue) throws Exception {
        List<Received> out = new ArrayList<>();
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                out.add(new Received(r.getEnvelope().getRoutingKey(), r.getProps().getDeliveryMode() == 2,
                        r.getProps().getMessageId(), RecordJson.MAPPER.readTree(new String(r.getBody(), StandardCharsets.UTF_8))));
            }
            ch.queueDelete(queue);
        }
        return out;
    }

    static int amqpPort() {
        return URI.create(TestServices.amqpUri()).getPort();
    }

    @Test
    void everyRecordReachesTheRecordsExchangeAlsoAcrossABrokerOutage() throws Exception {
        try (TcpProxy broker = TcpProxy.to("127.0.0.1", amqpPort());
             RunningFleetcore fc = RunningFleetcore.start(Map.of(
                     "fleetcore.amqp.uri", "amqp://guest:guest@127.0.0.1:" + broker.port() + "/",
                     "fleetcore.amqp.confirm-timeout-ms", "1000",
                     "fleetcore.feed.error-backoff-polls", "2"))) {
            String queue = bind(fc.setting("fleetcore.feed.records.exchange"), "json.#");
            for (int i = 0; i < 20; i++) {
                assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("feed-" + (i % 4), i), 1, 5000)).isEqualTo("1");
            }
            await(Duration.ofSeconds(15), "20 records published and confirmed", () -> delivered(fc) >= 20);
            long published = TestBroker.ready(queue);

            broker.cut();
            for (int i = 20; i < 40; i++) {
                assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("feed-" + (i % 4), i), 1, 5000))
                        .as("stored and ACKed while the broker is away").isEqualTo("1");
            }
            await(Duration.ofSeconds(15), "the feed noticed the outage", () -> lastError(fc) != null);
            assertThat(TestBroker.ready(queue)).isEqualTo(published);
            String listed = list(fc);
            assertThat(listed).contains("records").contains("20");

            broker.restore();
            await(Duration.ofSeconds(30), "the other 20 published after the broker came back", () -> delivered(fc) >= 40);
            await(Duration.ofSeconds(5), "cursor at the end", () -> lastError(fc) == null);

            List<Received> got = take(queue);
            Set<String> stored = new HashSet<>();
            try (var c = fc.db(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select device_uid || '|' || content_hash || '|' || fix_time from records")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).hasSize(40);
            Set<String> forwarded = new HashSet<>();
            List<JsonNode> records = new ArrayList<>();
            for (Received r : got) {
                JsonNode j = r.json();
                assertThat(j.path("version").asInt()).isEqualTo(RecordMessages.VERSION);
                assertThat(r.routingKey()).isEqualTo("json." + j.path("device_uid").asText());
                assertThat(r.persistent()).isTrue();
                assertThat(j.path("count").asInt()).isEqualTo(r.records().size()).isPositive();
                long first = r.records().get(0).path("id").asLong();
                long last = r.records().get(r.records().size() - 1).path("id").asLong();
                assertThat(r.messageId()).isEqualTo(fc.setting("fleetcore.feed.records.exchange") + ":" + (first == last ? "" + last : first + "-" + last));
                for (JsonNode record : r.records()) {
                    assertThat(record.path("device_uid").asText()).isEqualTo(j.path("device_uid").asText());
                    forwarded.add(record.path("device_uid").asText() + "|" + record.path("content_hash").asText() + "|"
                            + record.path("fix_time").asText());
                    records.add(record);
                }
            }
            assertThat(forwarded).as("forwarded ⊇ stored").hasSize(40);
            assertThat(records).as("a batch that failed may come twice, never less").hasSizeGreaterThanOrEqualTo(40);
            // per-device order: each device's fix times arrive ascending (they were sent ascending)
            Map<String, List<Instant>> byDevice = new java.util.HashMap<>();
            for (JsonNode r : records) {
                byDevice.computeIfAbsent(r.path("device_uid").asText(), d -> new ArrayList<>())
                        .add(Instant.parse(r.path("fix_time").asText()));
            }
            byDevice.values().forEach(times -> assertThat(times.stream().distinct().toList()).isSorted());

            String metrics = fc.server().runtime().metrics().scrape();
            assertThat(metrics).containsPattern("fleetcore_feed_delivered_total\\{feed=\"records\"} (4[0-9]|[5-9][0-9])\\.0");
            assertThat(metrics).contains("fleetcore_feed_lag_records{feed=\"records\"}");
            assertThat(metrics).contains("fleetcore_feed_lag_seconds{feed=\"records\"}");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + fc.setting("fleetcore.management.port") + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("fleetcore-feed-records");
        }
    }

    /** Records the records feed delivered (confirmed by the broker), by its cursor. */
    static long delivered(RunningFleetcore fc) throws Exception {
        try (var c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select delivered from feed_cursors where feed = 'records'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static String lastError(RunningFleetcore fc) throws Exception {
        try (var c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select last_error from feed_cursors where feed = 'records'")) {
            return rs.next() ? rs.getString(1) : "no cursor yet";
        }
    }

    static String list(RunningFleetcore fc) throws Exception {
        StringWriter out = new StringWriter();
        FeedCommand.list(fc.server().runtime().database().dataSource(), new PrintWriter(out));
        return out.toString();
    }

    @Test
    void alertsReachTheEventsExchange() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            String queue = bind(fc.setting("fleetcore.feed.events.exchange"), "service.*");
            AlertPublisher alerts = (AlertPublisher) fc.server().runtime().beans().get("alertPublisher");
            alerts.publish(Alert.service("down", "feed-test-service", "refused", "it"));
            alerts.publish(Alert.service("up", "feed-test-service", "ok", "it"));
            await(Duration.ofSeconds(15), "two events", () -> TestBroker.ready(queue) >= 2);
            List<Received> got = take(queue).stream()
                    .filter(r -> r.json().path("subject").asText().equals("feed-test-service")).toList();
            assertThat(got).extracting(Received::routingKey).containsExactly("service.down", "service.up");
            assertThat(got.get(0).json().path("version").asInt()).isEqualTo(1);
            assertThat(got.get(0).json().path("detail").asText()).isEqualTo("refused");
            assertThat(list(fc)).contains("events");
        }
    }

    @Test
    void theEmbeddedBrokerCarriesTheRecordsFeedToo() throws Exception {
        int port = TestServices.freePort();
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.amqp.uri", "",
                "fleetcore.amqp.embedded-port", String.valueOf(port)))) {
            com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
            f.setUri(io.fleetcore.broker.EmbeddedBroker.uri(java.nio.file.Path.of(fc.setting("fleetcore.data-dir"), "broker"),
                    "127.0.0.1", port));
            f.setVirtualHost("/");
            String exchange = fc.setting("fleetcore.feed.records.exchange");
            try (var c = f.newConnection(); Channel ch = c.createChannel()) {
                ch.queueDeclare("embedded-feed", true, false, false, Map.of());
                ch.queueBind("embedded-feed", exchange, "#");
                for (int i = 0; i < 5; i++) {
                    assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("embedded-feed", i), 1, 5000)).isEqualTo("1");
                }
                await(Duration.ofSeconds(15), "5 records confirmed by the embedded broker", () -> delivered(fc) >= 5);
                List<Long> ids = new ArrayList<>();
                GetResponse r;
                while ((r = ch.basicGet("embedded-feed", true)) != null) {
                    assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("json.embedded-feed");
                    assertThat(RecordJson.MAPPER.readTree(r.getBody()).path("device_uid").asText()).isEqualTo("embedded-feed");
                    ids.addAll(RecordMessages.recordIds(r.getBody()));
                }
                assertThat(ids).hasSize(5).isSorted();
            }
        }
    }
}
