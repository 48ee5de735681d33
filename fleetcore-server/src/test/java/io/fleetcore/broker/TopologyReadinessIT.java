package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A retry queue that already exists with other arguments (here one that drops its oldest message when full:
 * {@code x-max-length} with {@code x-overflow=drop-head}) is refused by fleetcore's declare. That is not only a
 * log line: readiness is DOWN and names the problem; once an operator removed the queue, the retried declare
 * creates fleetcore's own and readiness is UP again.
 */
class TopologyReadinessIT {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static HttpResponse<String> ready(RunningFleetcore fc) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + fc.setting("fleetcore.management.port") + "/observe/health/ready");
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRetryQueueThatDropsMessagesIsRefusedReadinessIsDownUntilTheDeclareSucceeds() throws Exception {
        String exchange = TestServices.unique("fleetcore");
        String retryQueue = TestServices.unique("fleetcore.retry");
        String parkedQueue = TestServices.unique("fleetcore.parked");
        BrokerTopology topology = new BrokerTopology(exchange, retryQueue, parkedQueue);
        try (Connection c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclare(retryQueue, true, false, false, Map.of("x-max-length", 1, "x-overflow", "drop-head"));
            try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                    "fleetcore.amqp.exchange", exchange,
                    "fleetcore.amqp.retry-queue", retryQueue,
                    "fleetcore.amqp.parked-queue", parkedQueue,
                    "fleetcore.amqp.declare-retry-interval", "300ms"))) {
                HttpResponse<String> down = ready(fc);
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("{\"name\":\"fleetcore-broker-topology\",\"status\":\"DOWN\"")
                        .contains(retryQueue).containsIgnoringCase("inequivalent arg");

                ch.queueDelete(retryQueue);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                HttpResponse<String> up = ready(fc);
                while (up.statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    up = ready(fc);
                }
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
                assertThat(up.body()).contains("{\"name\":\"fleetcore-broker-topology\",\"status\":\"UP\"");
                assertThat(ch.queueDeclarePassive(retryQueue).getQueue()).isEqualTo(retryQueue);
            }
        } finally {
            TestBroker.delete(topology);
        }
    }
}
