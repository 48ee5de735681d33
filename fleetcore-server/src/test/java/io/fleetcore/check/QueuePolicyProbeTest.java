package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fleetcore.broker.QueuePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue policy check against answers recorded from RabbitMQ 3.10's management API
 * ({@code GET /api/queues/%2F/NAME}, src/test/resources/io/fleetcore/broker/management): which settings discard
 * ACKed messages, and the probe over HTTP (a local server replaying them): DOWN with the reason, UP without,
 * a missing queue skipped, an unreachable API reported in the detail while staying UP.
 */
class QueuePolicyProbeTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static String recorded(String name) throws IOException {
        try (InputStream in = QueuePolicyProbeTest.class.getResourceAsStream("/io/fleetcore/broker/management/queue-" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> drops(String recordedName) throws IOException {
        return QueuePolicy.drops(JSON.readTree(recorded(recordedName)));
    }

    @Test
    void aQueueWithoutPolicyDiscardsNothing() throws IOException {
        assertThat(drops("plain")).isEmpty();
    }

    @Test
    void aMaxLengthPolicyWithTheDefaultOverflowDropsTheOldestMessages() throws IOException {
        assertThat(drops("drophead")).singleElement().asString()
                .contains("queue fleetcore.retry").contains("max-length 1000").contains("overflow drop-head")
                .contains("policy drop").contains("discards the oldest messages").contains("reject-publish");
    }

    @Test
    void aMaxLengthPolicyThatRejectsPublishesIsSafe() throws IOException {
        assertThat(drops("reject")).isEmpty();
    }

    @Test
    void anOperatorPolicyLimitAMessageTtlAndExpiresAreEachReported() throws IOException {
        List<String> reasons = drops("ttl-operator");
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0)).contains("queue fleetcore.parked").contains("max-length-bytes 1048576")
                .contains("overflow drop-head").contains("operator policy oplimit");
        assertThat(reasons.get(1)).contains("message-ttl 60000 ms").contains("policy drop");
        assertThat(reasons.get(2)).contains("expires 3600000 ms").contains("deletes the queue");
    }

    @Test
    void queueArgumentsCountTooTheOverflowArgumentWinsAndLimitsTakeTheSmaller() throws IOException {
        JsonNode argumentRejects = JSON.readTree("""
                {"name":"q","arguments":{"x-overflow":"reject-publish"},"policy":"p",
                 "effective_policy_definition":{"max-length":10,"overflow":"drop-head"}}""");
        assertThat(QueuePolicy.drops(argumentRejects)).isEmpty();

        JsonNode argumentLimit = JSON.readTree("""
                {"name":"q","arguments":{"x-max-length":5,"x-dead-letter-exchange":"dlx"},"policy":"p",
                 "effective_policy_definition":{"max-length":10}}""");
        assertThat(QueuePolicy.drops(argumentLimit)).singleElement().asString().contains("max-length 5")
                .contains("queue argument x-max-length, policy p").contains("dead-lettered to exchange 'dlx'");

        JsonNode ttl = JSON.readTree("""
                {"name":"q","arguments":{"x-message-ttl":500},"effective_policy_definition":{"message-ttl":9000}}""");
        assertThat(QueuePolicy.drops(ttl)).singleElement().asString().contains("message-ttl 500 ms");

        // RabbitMQ renders an empty table as a list
        assertThat(QueuePolicy.drops(JSON.readTree("{\"name\":\"q\",\"arguments\":[],\"effective_policy_definition\":[]}"))).isEmpty();
    }

    @Test
    void theManagementUrlUserAndVhostComeFromTheAmqpUriUnlessConfigured() {
        QueuePolicyProbe derived = QueuePolicyProbe.of("amqp://fleetcore:s%40cret@rabbitmq:5672/", "", "", "", List.of("fleetcore.retry"));
        assertThat(derived.api()).isEqualTo(URI.create("http://rabbitmq:15672"));
        assertThat(derived.vhost()).isEqualTo("/");
        assertThat(derived.user()).isEqualTo("fleetcore");
        QueuePolicyProbe configured = QueuePolicyProbe.of("amqp://u:p@10.0.0.5:5672/prod", "https://mq.example:8443/", "monitor", "pw",
                List.of("fleetcore.retry"));
        assertThat(configured.api()).isEqualTo(URI.create("https://mq.example:8443"));
        assertThat(configured.vhost()).isEqualTo("prod");
        assertThat(configured.user()).isEqualTo("monitor");
    }

    // ---- the probe over HTTP, against a local server that replays the recorded answers

    HttpServer server;
    final Map<String, String> answers = new ConcurrentHashMap<>();
    final Map<String, String> authorizations = new ConcurrentHashMap<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/queues/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            authorizations.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String body = answers.get(path);
            byte[] bytes = (body == null ? "{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    QueuePolicyProbe probe() {
        return QueuePolicyProbe.of("amqp://fleetcore:s3cret@127.0.0.1:5672/", "http://127.0.0.1:" + server.getAddress().getPort(), "", "",
                List.of("fleetcore.retry", "fleetcore.parked", "fleetcore.ingest"));
    }

    @Test
    void theProbeIsDownWithEveryReasonWhileAPolicyDiscardsAndUpOnceItNoLongerDoes() throws IOException {
        answers.put("/api/queues/%2F/fleetcore.retry", recorded("drophead"));
        answers.put("/api/queues/%2F/fleetcore.parked", recorded("ttl-operator"));
        // fleetcore.ingest not declared (404): skipped
        ProbeResult down = probe().probe(Duration.ofSeconds(2));
        assertThat(down.up()).isFalse();
        assertThat(down.service()).isEqualTo("rabbitmq-queue-policy");
        assertThat(down.detail()).startsWith("RabbitMQ can discard ACKed messages: queue fleetcore.retry: max-length 1000")
                .contains("queue fleetcore.parked: max-length-bytes 1048576").contains("message-ttl 60000").contains("expires 3600000");
        assertThat(authorizations.get("/api/queues/%2F/fleetcore.retry")).isEqualTo("Basic ZmxlZXRjb3JlOnMzY3JldA=="); // fleetcore:s3cret

        answers.put("/api/queues/%2F/fleetcore.retry", recorded("reject"));
        answers.put("/api/queues/%2F/fleetcore.parked", recorded("plain"));
        ProbeResult up = probe().probe(Duration.ofSeconds(2));
        assertThat(up.up()).as(up.detail()).isTrue();
        assertThat(up.detail()).isEqualTo("no policy discards messages on fleetcore.retry, fleetcore.parked");
    }

    @Test
    void anUnreachableManagementApiIsSaidInTheDetailAndStaysUp() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        QueuePolicyProbe probe = QueuePolicyProbe.of("amqp://guest:guest@127.0.0.1:5672/", "http://127.0.0.1:" + closed, "", "",
                List.of("fleetcore.retry"));
        ProbeResult r = probe.probe(Duration.ofSeconds(1));
        assertThat(r.up()).isTrue();
        assertThat(r.detail()).startsWith("queue policies not checked: RabbitMQ management API not reachable at http://127.0.0.1:" + closed)
                .contains("rabbitmq_management").contains("fleetcore.amqp.management-url");
    }
}
