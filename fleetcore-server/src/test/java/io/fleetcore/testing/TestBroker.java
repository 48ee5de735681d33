package io.fleetcore.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.fleetcore.broker.BrokerTopology;
import io.fleetcore.broker.ParkedMessages;
import java.net.URI;
import java.time.Duration;

/** Looks at (and cleans up) a test's queues on the test broker, directly, not through any proxy. */
public final class TestBroker {

    private TestBroker() {
    }

    public static ConnectionFactory factory() {
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(URI.create(TestServices.amqpUri()));
            f.setVirtualHost("/");
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages ready on the queue (not counting those a consumer holds unacknowledged). */
    public static long ready(String queue) throws Exception {
        try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }

    public static ParkedMessages parked(BrokerTopology topology) {
        return new ParkedMessages(factory(), topology, Duration.ofSeconds(5));
    }

    /** Removes a test's exchange and queues (names made unique by {@link TestServices#unique}). */
    public static void delete(BrokerTopology topology) {
        try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(topology.retryQueue());
            ch.queueDelete(topology.parkedQueue());
            if (topology.ingestQueue() != null) {
                ch.queueDelete(topology.ingestQueue());
            }
            ch.exchangeDelete(topology.exchange());
        } catch (Exception ignored) {
            // the broker is gone already; the names are unique and harmless
        }
    }

    /** Removes a test's exchanges (names made unique by {@link TestServices#unique}). */
    public static void deleteExchanges(String... exchanges) {
        try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
            for (String exchange : exchanges) {
                ch.exchangeDelete(exchange);
            }
        } catch (Exception ignored) {
            // the broker is gone already; the names are unique and harmless
        }
    }
}
