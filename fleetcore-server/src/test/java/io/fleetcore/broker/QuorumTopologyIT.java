package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code fleetcore.amqp.queue-type=quorum} on the real RabbitMQ (3.10 here): the queues are quorum queues with
 * the configured delivery limit, and a message that reaches the limit is dead-lettered to the parked queue,
 * not dropped (RabbitMQ drops it when no dead-letter target is set).
 */
class QuorumTopologyIT {

    static BrokerTopology topology(long deliveryLimit) {
        return new BrokerTopology(TestServices.unique("fleetcore"), TestServices.unique("fleetcore.retry"),
                TestServices.unique("fleetcore.parked"), TestServices.unique("fleetcore.ingest"),
                BrokerTopology.QueueType.QUORUM, deliveryLimit);
    }

    @Test
    void queuesAreQuorumQueuesWithTheConfiguredDeliveryLimit() throws Exception {
        BrokerTopology topology = topology(1_000_000);
        try (Connection c = TestBroker.factory().newConnection()) {
            try (Channel ch = c.createChannel()) {
                topology.declare(ch);
            }
            for (String queue : new String[] {topology.retryQueue(), topology.parkedQueue(), topology.ingestQueue()}) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDeclare(queue, true, false, false, topology.queueArguments(queue)); // equivalent: accepted
                }
                // RabbitMQ refuses a redeclaration whose type or limit differ from what the queue has
                Channel classic = c.createChannel();
                assertThatThrownBy(() -> classic.queueDeclare(queue, true, false, false, Map.of()))
                        .as(queue + " is not a classic queue").isInstanceOf(IOException.class)
                        .hasStackTraceContaining("PRECONDITION_FAILED");
                Map<String, Object> otherLimit = new HashMap<>(topology.queueArguments(queue));
                otherLimit.put("x-delivery-limit", 20L);
                Channel limit20 = c.createChannel();
                assertThatThrownBy(() -> limit20.queueDeclare(queue, true, false, false, otherLimit))
                        .as(queue + " delivery limit").isInstanceOf(IOException.class)
                        .hasStackTraceContaining("x-delivery-limit");
            }
        } finally {
            TestBroker.delete(topology);
        }
    }

    @Test
    void aMessageThatReachesTheDeliveryLimitIsParkedNotDropped() throws Exception {
        BrokerTopology topology = topology(3);
        try (Connection c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            topology.declare(ch);
            ch.confirmSelect();
            ch.basicPublish(topology.exchange(), topology.retryQueue(), MessageProperties.PERSISTENT_BASIC,
                    "{\"device\":\"limit-1\"}".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5000);
            int deliveries = 0;
            for (GetResponse r; (r = await(ch, topology.retryQueue())) != null; ) {
                deliveries++;
                ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true); // what requeue-delivery does
            }
            assertThat(deliveries).as("deliveries before the limit took the message off the retry queue").isEqualTo(4);
            GetResponse parked = await(ch, topology.parkedQueue());
            assertThat(parked).as("dead-lettered to the parked queue").isNotNull();
            assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains("limit-1");
            assertThat(String.valueOf(parked.getProps().getHeaders().get("x-first-death-reason"))).isEqualTo("delivery_limit");
        } finally {
            TestBroker.delete(topology);
        }
    }

    /** The next message of the queue, waiting up to 2 s for it (a requeue or dead-lettering is asynchronous). */
    static GetResponse await(Channel ch, String queue) throws Exception {
        for (int i = 0; i < 40; i++) {
            GetResponse r = ch.basicGet(queue, false);
            if (r != null) {
                return r;
            }
            Thread.sleep(50);
        }
        return null;
    }
}
