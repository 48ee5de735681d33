package io.fleetcore.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * The broker objects fleetcore relies on: one durable direct exchange, the durable retry and parked queues
 * (and the ingest queue the broker-first topology publishes to),
 * each bound with its own name as routing key. Plain durable queues without RabbitMQ-only arguments, so the
 * embedded broker accepts them too. Declaring is idempotent; it runs on every new broker connection.
 */
public record BrokerTopology(String exchange, String retryQueue, String parkedQueue, String ingestQueue) {

    /** Without the broker-first ingest queue (tools and tests that only need retry and parked). */
    public BrokerTopology(String exchange, String retryQueue, String parkedQueue) {
        this(exchange, retryQueue, parkedQueue, null);
    }

    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(exchange, "direct", true, false, Map.of());
        for (String queue : new String[] {retryQueue, parkedQueue, ingestQueue}) {
            if (queue == null || queue.isBlank()) {
                continue;
            }
            channel.queueDeclare(queue, true, false, false, Map.of());
            channel.queueBind(queue, exchange, queue);
        }
    }
}
