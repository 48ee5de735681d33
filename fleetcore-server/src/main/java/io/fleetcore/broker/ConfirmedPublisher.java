package io.fleetcore.broker;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The publish steps of the route files ({@code publish-retry}, {@code publish-parked}, {@code publish-ingest}):
 * the body as a persistent JSON message, {@code mandatory}, and success only when the broker confirmed it
 * <em>and</em> routed it to a queue. A positive confirm alone proves nothing: the broker confirms a message
 * that no queue took (binding or queue deleted, declared elsewhere with other arguments). Such a message
 * comes back (basic.return, before its confirm), and that is a failure here, like a nack or no confirm
 * within the timeout: the exchange fails, so the device is not ACKed and the delivery is not settled.
 * <p>
 * Used from the route files as
 * {@code method: "publish(*, '{{fleetcore.amqp.exchange}}', '{{fleetcore.amqp.retry-queue}}')"}.
 */
public class ConfirmedPublisher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfirmedPublisher.class);

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;

    /** {@code connectionFactory} must have CORRELATED publisher confirms and publisher returns on. */
    public ConfirmedPublisher(ConnectionFactory connectionFactory, long confirmTimeoutMillis) {
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMandatory(true);
        // its own connection: a publisher the broker blocks never stalls consumer acknowledgements
        this.template.setUsePublisherConnection(true);
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    /**
     * Opens the publisher connection now (declaring the topology on it, like every new connection), so a later
     * publish never depends on a declare made at that moment; a broker that is away is no error here.
     */
    public ConfirmedPublisher connect() {
        try {
            template.execute(channel -> null);
        } catch (RuntimeException e) {
            LOG.debug("publisher connection not opened yet: {}", e.getMessage());
        }
        return this;
    }

    /** True: publishes go over the connection factory's separate publisher connection. */
    public boolean usesPublisherConnection() {
        return template.isUsePublisherConnection();
    }

    /** Publishes the exchange's body to {@code exchangeName} with {@code routingKey}; returns once it is safe. */
    public void publish(Exchange exchange, String exchangeName, String routingKey) throws Exception {
        try {
            publishAsync(exchange.getMessage().getMandatoryBody(byte[].class), exchangeName, routingKey).get();
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
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setContentType("application/json");
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            template.send(exchangeName, routingKey, new Message(body, properties), correlation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PublishFailedException("publish to exchange " + exchangeName
                    + ", routing key " + routingKey + " failed: " + e.getMessage(), e));
        }
        CompletableFuture<Void> safe = new CompletableFuture<>();
        correlation.getFuture().orTimeout(confirmTimeoutMillis, TimeUnit.MILLISECONDS).whenComplete((confirm, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                safe.completeExceptionally(new TimeoutException("Message not sent within " + confirmTimeoutMillis
                        + " millis: no confirm from the broker for exchange " + exchangeName + ", routing key " + routingKey));
            } else if (cause != null) {
                safe.completeExceptionally(new PublishFailedException("publish to exchange " + exchangeName + ", routing key "
                        + routingKey + " failed: " + cause.getMessage(), cause));
            } else if (!confirm.isAck()) {
                safe.completeExceptionally(new PublishFailedException("the broker refused (nack) the message for exchange "
                        + exchangeName + ", routing key " + routingKey + ": " + confirm.getReason(), null));
            } else if (correlation.getReturned() != null) {
                // a return arrives before its confirm: set by now when no queue took the message
                ReturnedMessage returned = correlation.getReturned();
                safe.completeExceptionally(new PublishFailedException("no queue took the message: exchange " + exchangeName
                        + ", routing key " + routingKey + " returned " + returned.getReplyCode() + " "
                        + returned.getReplyText() + " (queue or binding missing?)", null));
            } else {
                safe.complete(null);
            }
        });
        return safe;
    }

    /** A publish the broker did not take: refused, unroutable, or the channel failed before its confirm. */
    public static final class PublishFailedException extends Exception {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
