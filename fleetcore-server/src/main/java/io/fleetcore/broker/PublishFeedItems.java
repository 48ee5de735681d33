package io.fleetcore.broker;

import io.fleetcore.feed.FeedItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A feed's RabbitMQ destination: publishes a batch of feed items to a durable topic exchange (routing key =
 * the item's key) as persistent JSON messages on one channel, in order, then waits for the broker to confirm
 * every one of them. Returns only when all are confirmed; a NACK, a lost channel or the confirm timeout throws,
 * so the feed's cursor stays put and the batch is published again. A message no queue is bound for is
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

    /** Publishes every item on one channel, then awaits their confirms together (pipelined, not one by one). */
    private void send(List<FeedItem> items, String exchange) {
        template.invoke(ops -> {
            if (!declared.contains(exchange)) {
                ops.execute(channel -> channel.exchangeDeclare(exchange, "topic", true));
                declared.add(exchange);
            }
            List<CorrelationData> sent = new ArrayList<>(items.size());
            for (FeedItem item : items) {
                Message message = MessageBuilder.withBody(item.json().getBytes(StandardCharsets.UTF_8))
                        .setContentType("application/json")
                        .setContentEncoding("utf-8")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .setMessageId(exchange + ":" + item.id())
                        .build();
                CorrelationData correlation = new CorrelationData(Long.toString(item.id()));
                ops.send(exchange, item.key(), message, correlation);
                sent.add(correlation);
            }
            awaitConfirms(sent, exchange);
            return null;
        });
    }

    private void awaitConfirms(List<CorrelationData> sent, String exchange) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMillis);
        for (CorrelationData correlation : sent) {
            try {
                CorrelationData.Confirm confirm = correlation.getFuture()
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!confirm.isAck()) {
                    throw new AmqpException("broker refused a message for " + exchange + ": " + confirm.getReason());
                }
            } catch (TimeoutException e) {
                throw new AmqpException("no confirm from the broker within " + confirmTimeoutMillis + " ms for " + exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AmqpException("interrupted while waiting for confirms", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AmqpException("publishing to " + exchange + " failed", e.getCause());
            }
        }
    }
}
