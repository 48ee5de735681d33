package io.fleetcore.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The broker objects fleetcore relies on: one durable direct exchange, the durable retry and parked queues
 * (and the ingest queue the broker-first topology publishes to), each bound with its own name as routing key.
 * Declaring is idempotent; it runs on every new broker connection.
 * <p>
 * {@code classic} queues carry no RabbitMQ-only arguments, so the embedded broker accepts them too.
 * {@code quorum} queues (a RabbitMQ cluster: replicated, survive the loss of a minority of nodes) carry an
 * explicit {@code x-delivery-limit}: RabbitMQ 3.x has no limit unless one is set, 4.x applies 20 by default,
 * and the redelivery loop requeues a message on every back-off round while the database is down. The limit is
 * set far above any outage (a round takes at least {@code fleetcore.retry.max-delay-ms} once the back-off has
 * grown), and should it ever be reached the broker dead-letters the message to the parked queue instead of
 * dropping it.
 */
public record BrokerTopology(String exchange, String retryQueue, String parkedQueue, String ingestQueue,
                             QueueType queueType, long deliveryLimit) {

    /** How the queues are declared ({@code fleetcore.amqp.queue-type}). */
    public enum QueueType {
        CLASSIC, QUORUM;

        public static QueueType parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("fleetcore.amqp.queue-type (env FLEETCORE_AMQP_QUEUE_TYPE) must be classic or quorum, got '"
                        + name + "'");
            }
        }
    }

    /** Classic queues, with the broker-first ingest queue. */
    public BrokerTopology(String exchange, String retryQueue, String parkedQueue, String ingestQueue) {
        this(exchange, retryQueue, parkedQueue, ingestQueue, QueueType.CLASSIC, 0);
    }

    /** Classic queues, without the broker-first ingest queue (tools and tests that only need retry and parked). */
    public BrokerTopology(String exchange, String retryQueue, String parkedQueue) {
        this(exchange, retryQueue, parkedQueue, null);
    }

    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(exchange, "direct", true, false, Map.of());
        for (String queue : new String[] {retryQueue, parkedQueue, ingestQueue}) {
            if (queue == null || queue.isBlank()) {
                continue;
            }
            channel.queueDeclare(queue, true, false, false, queueArguments(queue));
            channel.queueBind(queue, exchange, queue);
        }
    }

    /**
     * The arguments a queue of this topology is declared with (also for queues other parts declare, such as
     * feed queues): none for classic; for quorum the type, the delivery limit and, except on the parked queue
     * itself, dead-lettering to the parked queue when the limit is reached.
     */
    public Map<String, Object> queueArguments(String queue) {
        if (queueType == QueueType.CLASSIC) {
            return Map.of();
        }
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "quorum");
        args.put("x-delivery-limit", deliveryLimit);
        if (!queue.equals(parkedQueue)) {
            args.put("x-dead-letter-exchange", exchange);
            args.put("x-dead-letter-routing-key", parkedQueue);
        }
        return args;
    }
}
