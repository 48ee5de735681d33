package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RabbitCluster;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
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

    static HttpResponse<String> awaitReady(RunningFleetcore fc, Predicate<HttpResponse<String>> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> r = TopologyReadinessIT.ready(fc);
        while (!until.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = TopologyReadinessIT.ready(fc);
        }
        return r;
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
                    "fleetcore.heartbeat.max-age", "2s"))) {
                String retryQueue = fc.setting("fleetcore.amqp.retry-queue");
                HttpResponse<String> up = awaitReady(fc, r -> r.statusCode() == 200 && r.body().contains("discards messages on"));
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
                assertThat(up.body()).contains(CHECK + ",\"status\":\"UP\"").contains(retryQueue);

                // max-length without an overflow setting: RabbitMQ's default overflow, drop-head
                rabbit.ctl(node.name(), 60, "set_policy", "-p", "/", "--apply-to", "queues", "limit", "^fleetcore\\.",
                        "{\"max-length\":1000}");
                HttpResponse<String> down = awaitReady(fc, r -> r.statusCode() == 503 && r.body().contains("drop-head"));
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains(CHECK + ",\"status\":\"DOWN\"")
                        .contains("RabbitMQ can discard ACKed messages").contains("queue " + retryQueue + ": max-length 1000 with overflow drop-head")
                        .contains("policy limit");
                assertThat(fc.awaitCount("select count(*) from events where kind = 'service' and state = 'down'"
                        + " and subject = 'rabbitmq-queue-policy'", 1)).as("alert").isEqualTo(1);

                // the same limit refusing publishes instead: a full queue NACKs, the device gets no ACK; ready again
                rabbit.ctl(node.name(), 60, "set_policy", "-p", "/", "--apply-to", "queues", "limit", "^fleetcore\\.",
                        "{\"max-length\":1000,\"overflow\":\"reject-publish\"}");
                HttpResponse<String> again = awaitReady(fc, r -> r.statusCode() == 200);
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
            HttpResponse<String> r = awaitReady(fc, x -> x.statusCode() == 200 && x.body().contains(CHECK));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains(CHECK + ",\"status\":\"UP\"")
                    .contains("queue policies not checked: RabbitMQ management API not reachable at http://127.0.0.1:" + closed);
        }
    }
}
