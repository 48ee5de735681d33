package io.fleetcore.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The publish steps of the route files ({@code publish-retry}, {@code publish-parked}, {@code publish-ingest}):
 * the body as a persistent JSON message, {@code mandatory}, and success only when the broker confirmed it
 * <em>and</em> routed it to a queue. A positive confirm alone proves nothing: the broker confirms a message
 * that no queue took (binding or queue deleted, declared elsewhere with other arguments). Such a message
 * comes back (basic.return, before its confirm), and that is a failure here, like a nack or no confirm
 * within the timeout: the exchange fails, so the device is not ACKed and the delivery is not settled.
 * <p>
 * Publishes go on a small fixed set of long-lived channels ("lanes") of the factory's publisher connection, in
 * confirm mode: many messages are in flight on each at once and each completes from its own confirm (the broker
 * confirms several with one {@code multiple} ack). Each lane has its own lock and its own confirm tracking, so
 * a gateway thread that is descheduled while it publishes holds up one lane, not every publish. No channel is
 * opened, and no thread waits, per message. A channel that closes fails the messages still unconfirmed on it
 * (no ACK: the device resends) and the next publish on its lane opens a new one.
 * <p>
 * Order: publishes with the same order key (the device) always take the same lane, and one channel delivers
 * to a queue in publish order, so a device's messages reach the queue in the order they were published even
 * when several are in flight. Publishes without a key take the lanes in turn.
 * <p>
 * Used from the route files as
 * {@code method: "publish(*, '{{fleetcore.amqp.exchange}}', '{{fleetcore.amqp.retry-queue}}')"}.
 */
public class ConfirmedPublisher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfirmedPublisher.class);
    /** The header a returned message is matched to its publish by: the channel's publish sequence number. */
    static final String SEQUENCE_HEADER = "fleetcore-publish-seq";

    private final ConnectionFactory connectionFactory;
    private final long confirmTimeoutMillis;
    private final Lane[] lanes;
    /** The lane of the next publish without an order key. */
    private final AtomicInteger nextLane = new AtomicInteger();
    private final AtomicInteger channelsOpened = new AtomicInteger();
    /** Fails a publish with no confirm in time; a confirm cancels (and removes) its timeout. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    /** One publishing channel; {@code connectionFactory} must have CORRELATED publisher confirms and returns on. */
    public ConfirmedPublisher(ConnectionFactory connectionFactory, long confirmTimeoutMillis) {
        this(connectionFactory, confirmTimeoutMillis, 1);
    }

    /** {@code channels} publishing channels (lanes), each with its own lock and confirms (fleetcore.amqp.publish-channels). */
    public ConfirmedPublisher(ConnectionFactory connectionFactory, long confirmTimeoutMillis, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("publishing channels must be at least 1, got " + channels);
        }
        this.connectionFactory = connectionFactory;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.lanes = new Lane[channels];
        for (int i = 0; i < channels; i++) {
            lanes[i] = new Lane();
        }
    }

    /**
     * Opens the publisher connection and every lane's channel now (declaring the topology on the connection, like
     * every new connection), so a later publish never depends on a declare made at that moment; a broker that is
     * away is no error here.
     */
    public ConfirmedPublisher connect() {
        for (Lane lane : lanes) {
            lane.lock.lock();
            try {
                lane.open();
            } catch (IOException | RuntimeException e) {
                LOG.debug("publisher connection not opened yet: {}", e.getMessage());
                break;
            } finally {
                lane.lock.unlock();
            }
        }
        return this;
    }

    /** True: publishes go over the connection factory's separate publisher connection. */
    public boolean usesPublisherConnection() {
        return connectionFactory.getPublisherConnectionFactory() != null;
    }

    /**
     * Publishes the exchange's body to {@code exchangeName} with {@code routingKey}; returns once it is safe. The
     * device (header {@link ExchangeNames#DEVICE}) is the order key.
     */
    public void publish(Exchange exchange, String exchangeName, String routingKey) throws Exception {
        try {
            publishAsync(exchange.getMessage().getMandatoryBody(byte[].class), exchangeName, routingKey,
                    exchange.getMessage().getHeader(ExchangeNames.DEVICE)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Publishes {@code body} without waiting: the returned future completes normally only once the broker
     * confirmed the message <em>and</em> routed it; it fails with {@link PublishFailedException} (nack, returned,
     * channel failure) or {@link TimeoutException} (no confirm within the timeout). It completes on the AMQP
     * client's thread (or the timeout's): whoever continues from it hands heavier work to its own thread.
     */
    public CompletableFuture<Void> publishAsync(byte[] body, String exchangeName, String routingKey) {
        return publishAsync(body, exchangeName, routingKey, null);
    }

    /**
     * Like {@link #publishAsync(byte[], String, String)}; publishes with the same {@code orderKey} (e.g. the device)
     * take the same channel, so they reach a queue in the order they were published. {@code null}: any channel.
     */
    public CompletableFuture<Void> publishAsync(byte[] body, String exchangeName, String routingKey, Object orderKey) {
        return publishOn(lane(orderKey), body, exchangeName, routingKey);
    }

    /** The lane of {@code orderKey}: always the same one for the same key; the lanes in turn without one. */
    int lane(Object orderKey) {
        if (lanes.length == 1) {
            return 0;
        }
        int n = orderKey == null ? nextLane.getAndIncrement() : spread(orderKey.hashCode());
        return Math.floorMod(n, lanes.length);
    }

    /** Device ids that differ only in their last digits still spread over the lanes. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private CompletableFuture<Void> publishOn(int laneIndex, byte[] body, String exchangeName, String routingKey) {
        Lane lane = lanes[laneIndex];
        Pending pending = new Pending(exchangeName, routingKey);
        ConfirmChannel channel = null;
        long sequence = -1;
        lane.lock.lock();
        try {
            channel = lane.open();
            sequence = channel.channel.getNextPublishSeqNo();
            channel.outstanding.put(sequence, pending);
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType("application/json").headers(Map.of(SEQUENCE_HEADER, sequence)).build();
            channel.channel.basicPublish(exchangeName, routingKey, true, properties, body);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.outstanding.remove(sequence);
            }
            return CompletableFuture.failedFuture(new PublishFailedException("publish to exchange " + exchangeName
                    + ", routing key " + routingKey + " failed: " + e.getMessage(), e));
        } finally {
            lane.lock.unlock();
        }
        ConfirmChannel on = channel;
        long seq = sequence;
        ScheduledFuture<?> timeout = TIMEOUTS.schedule(() -> {
            if (on.outstanding.remove(seq) != null) {
                pending.safe.completeExceptionally(new TimeoutException("Message not sent within " + confirmTimeoutMillis
                        + " millis: no confirm from the broker for exchange " + exchangeName + ", routing key " + routingKey));
            }
        }, confirmTimeoutMillis, TimeUnit.MILLISECONDS);
        pending.safe.whenComplete((ok, failure) -> timeout.cancel(false));
        return pending.safe;
    }

    /** Channels this publisher opened so far (one per lane, until a channel closes). */
    int channelsOpened() {
        return channelsOpened.get();
    }

    /** How many publishing channels (lanes) this publisher has. */
    public int channels() {
        return lanes.length;
    }

    /** One publishing channel and the lock its publishes take turns on. */
    private final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        /** The open confirm channel; replaced (under {@link #lock}) once it closed. */
        volatile ConfirmChannel current;

        /** The open confirm channel, or a new one (under {@link #lock}). */
        ConfirmChannel open() throws IOException {
            ConfirmChannel c = current;
            if (c != null && c.channel.isOpen()) {
                return c;
            }
            c = openChannel();
            current = c;
            return c;
        }
    }

    /** A new confirm channel on the publisher connection (which reconnects when needed). */
    private ConfirmChannel openChannel() throws IOException {
        ConnectionFactory publisherConnections = connectionFactory.getPublisherConnectionFactory();
        org.springframework.amqp.rabbit.connection.Connection connection = publisherConnections.createConnection();
        if (!connection.isOpen()) {
            // the broker connection died: the factory replaces it when a channel is asked of it (and declares again)
            try {
                connection.createChannel(false).close();
            } catch (TimeoutException e) {
                throw new IOException("no channel from the broker: " + e.getMessage(), e);
            }
            connection = publisherConnections.createConnection();
        }
        Channel channel = connection.getDelegate().createChannel();
        if (channel == null) {
            throw new IOException("the broker has no channel left on the publisher connection");
        }
        channelsOpened.incrementAndGet();
        channel.confirmSelect();
        ConfirmChannel c = new ConfirmChannel(channel);
        channel.addConfirmListener(c);
        channel.addReturnListener(c);
        channel.addShutdownListener(c::closed);
        return c;
    }

    private static ScheduledThreadPoolExecutor timeouts() {
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fleetcore-confirm-timeout");
            t.setDaemon(true);
            return t;
        });
        timeouts.setRemoveOnCancelPolicy(true);
        return timeouts;
    }

    /** A message waiting for its confirm; {@code returned} is set when the broker gave it back (no queue took it). */
    private static final class Pending {
        final String exchangeName;
        final String routingKey;
        final CompletableFuture<Void> safe = new CompletableFuture<>();
        volatile String returned;

        Pending(String exchangeName, String routingKey) {
            this.exchangeName = exchangeName;
            this.routingKey = routingKey;
        }

        void confirmed() {
            if (returned != null) {
                safe.completeExceptionally(new PublishFailedException("no queue took the message: exchange " + exchangeName
                        + ", routing key " + routingKey + " returned " + returned + " (queue or binding missing?)", null));
            } else {
                safe.complete(null);
            }
        }

        void refused(String why) {
            safe.completeExceptionally(new PublishFailedException("the broker refused (nack) the message for exchange "
                    + exchangeName + ", routing key " + routingKey + ": " + why, null));
        }
    }

    /** One channel in confirm mode and its messages not yet confirmed, by publish sequence number. */
    private static final class ConfirmChannel implements ConfirmListener, ReturnListener {
        final Channel channel;
        final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();

        ConfirmChannel(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void handleAck(long deliveryTag, boolean multiple) {
            settle(deliveryTag, multiple, true);
        }

        @Override
        public void handleNack(long deliveryTag, boolean multiple) {
            settle(deliveryTag, multiple, false);
        }

        private void settle(long deliveryTag, boolean multiple, boolean ack) {
            if (multiple) {
                ConcurrentNavigableMap<Long, Pending> upTo = outstanding.headMap(deliveryTag, true);
                Map.Entry<Long, Pending> e;
                while ((e = upTo.pollFirstEntry()) != null) {
                    settle(e.getValue(), ack);
                }
            } else {
                Pending p = outstanding.remove(deliveryTag);
                if (p != null) {
                    settle(p, ack);
                }
            }
        }

        private static void settle(Pending p, boolean ack) {
            if (ack) {
                p.confirmed();
            } else {
                p.refused("nack");
            }
        }

        @Override
        public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
                                 AMQP.BasicProperties properties, byte[] body) {
            Object sequence = properties.getHeaders() == null ? null : properties.getHeaders().get(SEQUENCE_HEADER);
            Pending p = sequence instanceof Number n ? outstanding.get(n.longValue()) : null;
            if (p != null) {
                p.returned = replyCode + " " + replyText;
            }
        }

        void closed(ShutdownSignalException cause) {
            Map.Entry<Long, Pending> e;
            while ((e = outstanding.pollFirstEntry()) != null) {
                Pending p = e.getValue();
                p.safe.completeExceptionally(new PublishFailedException("publish to exchange " + p.exchangeName
                        + ", routing key " + p.routingKey + " failed: the channel closed before the broker confirmed ("
                        + cause.getMessage() + ")", cause));
            }
        }
    }

    /** A publish the broker did not take: refused, unroutable, or the channel failed before its confirm. */
    public static final class PublishFailedException extends Exception {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
