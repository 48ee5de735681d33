package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RabbitCluster;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A RabbitMQ policy that lets the broker discard messages of fleetcore's queues makes readiness DOWN with the
 * reason (check {@code fleetcore-rabbitmq-queue-policy}) and raises an alert; a policy that refuses publishes
 * instead ({@code overflow: reject-publish}) is fine. The policy is set on a RabbitMQ node of the test's own
 * (the installed rabbitmq-server with the management plugin, loopback ports of its own; starting it takes more
 * than a minute on the shared machine, hence {@code slow}). Without a reachable management API fleetcore says
 * so in the check's detail and stays ready (the machine's broker has no management plugin).
 */
class QueuePolicyIT {

    static final String CHECK = "\"name\":\"fleetcore-rabbitmq-queue-policy\"";

    /** {@code /observe/health/ready} until {@code until} holds (90 s at most); the body without JSON escapes (backslashes). */
    static Ready awaitReady(RunningFleetcore fc, Predicate<Ready> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Ready r = ready(fc);
        while (!until.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = ready(fc);
        }
        return r;
    }

    record Ready(int statusCode, String body) {
    }

    static Ready ready(RunningFleetcore fc) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + fc.setting("fleetcore.management.port") + "/observe/health/ready");
        try {
            HttpResponse<String> r = TopologyReadinessIT.HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Ready(r.statusCode(), r.body().replace("\\", ""));
        } catch (java.net.http.HttpTimeoutException slow) {
            return new Ready(0, "timed out: " + slow.getMessage()); // a loaded machine: ask again
        }
    }

    @Test
    @Tag("slow")
    void aPolicyThatDropsTheOldestMessagesMakesReadinessDownWithTheReasonAndRaisesAnAlert() throws Exception {
        Path dir = Path.of(TestServices.buildDir(), TestServices.unique("rabbit-policy"));
        try (RabbitCluster rabbit = RabbitCluster.startWithManagement(dir, 1)) {
            RabbitCluster.Node node = rabbit.nodes().get(0);
            try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                    "fleetcore.amqp.uri", rabbit.uri(),
                    "fleetcore.amqp.management-url", "http://127.0.0.1:" + node.managementPort(),
                    "fleetcore.heartbeat.cron", "0/1 * * * * ?",
                    "fleetcore.heartbeat.max-age", "5s"))) {
                String retryQueue = fc.setting("fleetcore.amqp.retry-queue");
                Ready up = awaitReady(fc, r -> r.statusCode() == 200 && r.body().contains("discards messages on"));
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
                assertThat(up.body()).contains(CHECK + ",\"status\":\"UP\"").contains(retryQueue);

                // max-length without an overflow setting: RabbitMQ's default overflow, drop-head
                rabbit.ctl(node.name(), 60, "set_policy", "-p", "/", "--apply-to", "queues", "limit", "^fleetcore\\.",
                        "{\"max-length\":1000}");
                // RabbitMQ applies a policy queue by queue: wait for the heartbeat that sees it on the retry queue too
                Ready down = awaitReady(fc, r -> r.statusCode() == 503
                        && r.body().contains("queue " + retryQueue + ": max-length 1000 with overflow drop-head"));
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains(CHECK + ",\"status\":\"DOWN\"")
                        .contains("RabbitMQ can discard ACKed messages").contains("queue " + retryQueue + ": max-length 1000 with overflow drop-head")
                        .contains("policy limit");
                assertThat(fc.awaitCount("select count(*) from events where kind = 'service' and state = 'down'"
                        + " and subject = 'rabbitmq-queue-policy'", 1)).as("alert").isEqualTo(1);

                // the same limit refusing publishes instead: a full queue NACKs, the device gets no ACK; ready again
                rabbit.ctl(node.name(), 60, "set_policy", "-p", "/", "--apply-to", "queues", "limit", "^fleetcore\\.",
                        "{\"max-length\":1000,\"overflow\":\"reject-publish\"}");
                Ready again = awaitReady(fc, r -> r.statusCode() == 200);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(again.body()).contains(CHECK + ",\"status\":\"UP\"");
            }
        }
    }

    @Test
    void withoutAReachableManagementApiTheCheckSaysSoAndReadinessStaysUp() throws Exception {
        int closed = TestServices.freePort();
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                "fleetcore.amqp.management-url", "http://127.0.0.1:" + closed))) {
            Ready r = awaitReady(fc, x -> x.statusCode() == 200 && x.body().contains(CHECK));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains(CHECK + ",\"status\":\"UP\"")
                    .contains("queue policies not checked: RabbitMQ management API not reachable at http://127.0.0.1:" + closed);
        }
    }
}
