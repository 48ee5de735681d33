package io.fleetcore.broker;

import java.util.UUID;
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
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setContentType("application/json");
        Message message = new Message(exchange.getMessage().getMandatoryBody(byte[].class), properties);
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        template.send(exchangeName, routingKey, message, correlation);
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(confirmTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("Message not sent within " + confirmTimeoutMillis + " millis: no confirm from the broker"
                    + " for exchange " + exchangeName + ", routing key " + routingKey);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publish to exchange " + exchangeName + ", routing key " + routingKey
                    + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (!confirm.isAck()) {
            throw new PublishFailedException("the broker refused (nack) the message for exchange " + exchangeName
                    + ", routing key " + routingKey + ": " + confirm.getReason(), null);
        }
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            throw new PublishFailedException("no queue took the message: exchange " + exchangeName + ", routing key "
                    + routingKey + " returned " + returned.getReplyCode() + " " + returned.getReplyText()
                    + " (queue or binding missing?)", null);
        }
    }

    /** A publish the broker did not take: refused, unroutable, or the channel failed before its confirm. */
    public static final class PublishFailedException extends Exception {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
