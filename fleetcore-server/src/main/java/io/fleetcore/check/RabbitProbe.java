package io.fleetcore.check;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import java.time.Duration;

/**
 * RabbitMQ: a fresh AMQP connection to {@code fleetcore.amqp.uri} and a passive declare of the retry queue
 * (its depth goes into the detail). A broker that answers but has no retry queue yet is up: the queue is
 * declared by the broker routes on their first use, and a missing queue is no reason to stop taking data.
 */
public final class RabbitProbe implements Probe {

    /** the probe reports failures itself; the client's own WARN lines for them would be noise every tick */
    private static final ExceptionHandler QUIET = new DefaultExceptionHandler() {
        @Override
        public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
            // the probe's result says what happened
        }
    };

    private final String uri;
    private final String retryQueue;
    private final String addresses;

    public RabbitProbe(String uri, String retryQueue) {
        this(uri, retryQueue, "");
    }

    /** {@code addresses}: the cluster's nodes ({@code fleetcore.amqp.addresses}); the broker is up when one answers. */
    public RabbitProbe(String uri, String retryQueue, String addresses) {
        this.uri = uri;
        this.retryQueue = retryQueue;
        this.addresses = addresses;
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public ProbeResult probe(Duration timeout) {
        ConnectionFactory f = new ConnectionFactory();
        int millis = (int) Math.max(100, timeout.toMillis());
        try {
            f.setUri(uri);
            if (java.net.URI.create(uri).getPath().equals("/")) {
                // amqp://host:5672/ means the default vhost to an operator; to the Java client it is vhost ""
                f.setVirtualHost("/");
            }
            f.setConnectionTimeout(millis);
            f.setHandshakeTimeout(millis);
            f.setChannelRpcTimeout(millis);
            f.setAutomaticRecoveryEnabled(false);
            f.setExceptionHandler(QUIET);
            try (Connection c = addresses.isBlank() ? f.newConnection("fleetcore-heartbeat")
                    : f.newConnection(com.rabbitmq.client.Address.parseAddresses(addresses), "fleetcore-heartbeat")) {
                Channel ch = c.createChannel();
                try {
                    long depth = ch.queueDeclarePassive(retryQueue).getMessageCount();
                    return ProbeResult.up(name(), "retry queue " + retryQueue + " holds " + depth + " messages");
                } catch (java.io.IOException missing) {
                    // a failed passive declare closes the channel (404): the broker itself answered
                    return ProbeResult.up(name(), "broker up; retry queue " + retryQueue + " not declared yet");
                }
            }
        } catch (Exception e) {
            Throwable cause = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
            return ProbeResult.down(name(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
