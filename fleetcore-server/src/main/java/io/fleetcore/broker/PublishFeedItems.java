package io.fleetcore.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MessageProperties;
import io.fleetcore.feed.FeedItem;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A feed's RabbitMQ destination: publishes a batch of feed items to a durable topic exchange (routing key =
 * the item's key) as persistent JSON messages on one channel, in order, then waits once for the broker to have
 * confirmed every one of them (no per-message correlation: one wait per batch). Returns only when all are
 * confirmed; a NACK, a lost channel or the confirm timeout throws, so the feed's cursor stays put and the batch is
 * published again. A message no queue is bound for is
 * confirmed as well (it is not an error of the feed). Route files call
 * {@code publish(${body}, 'exchange-name')}.
 */
public final class PublishFeedItems {

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;
    /** Exchanges declared on the current connection: declared once, not once per batch. */
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    /** Declares {@code exchanges} on every new connection, so applications can bind before anything flows. */
    public PublishFeedItems(CachingConnectionFactory factory, long confirmTimeoutMillis, List<String> exchanges) {
        this.template = new RabbitTemplate(factory);
        // its own connection, like every other publisher: a feed the broker blocks never stalls consumer acks
        this.template.setUsePublisherConnection(true);
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        factory.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(Connection connection) {
                declared.clear();
                try (var channel = connection.createChannel(false)) {
                    for (String exchange : exchanges) {
                        channel.exchangeDeclare(exchange, "topic", true);
                    }
                    declared.addAll(exchanges);
                } catch (Exception e) {
                    throw new AmqpException("cannot declare feed exchanges " + exchanges, e);
                }
            }
        });
    }

    /** True: publishes go over the connection factory's separate publisher connection. */
    public boolean usesPublisherConnection() {
        return template.isUsePublisherConnection();
    }

    public void publish(List<FeedItem> items, String exchange) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        try {
            send(items, exchange);
        } catch (RuntimeException e) {
            declared.remove(exchange); // deleted meanwhile? the batch comes again and declares it first
            throw e;
        }
    }

    /**
     * Publishes every item on one channel (the template's, in confirm mode), then waits once for the broker to
     * have confirmed all of them: a NACK or no confirm within the timeout closes the channel and throws.
     */
    private void send(List<FeedItem> items, String exchange) {
        template.invoke(ops -> {
            ops.execute(channel -> {
                if (!declared.contains(exchange)) {
                    channel.exchangeDeclare(exchange, "topic", true);
                    declared.add(exchange);
                }
                for (FeedItem item : items) {
                    channel.basicPublish(exchange, item.key(), false, properties(exchange, item), item.body());
                }
                return null;
            });
            ops.waitForConfirmsOrDie(confirmTimeoutMillis);
            return null;
        });
    }

    /** Persistent JSON; the message id names the feed's exchange and the rows, for consumers that de-duplicate. */
    private static AMQP.BasicProperties properties(String exchange, FeedItem item) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(MessageProperties.PERSISTENT_BASIC.getDeliveryMode())
                .messageId(item.messageId(exchange))
                .build();
    }
}
