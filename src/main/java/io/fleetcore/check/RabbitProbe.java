package io.fleetcore.check;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;

/**
 * RabbitMQ: a fresh AMQP connection to {@code fleetcore.amqp.uri} and a passive declare of the retry queue
 * (its depth goes into the detail). A broker that answers but has no retry queue yet is up: the queue is
 * declared by the broker routes on their first use, and a missing queue is no reason to stop taking data.
 */
public final class RabbitProbe implements Probe {

    private final String uri;
    private final String retryQueue;

    public RabbitProbe(String uri, String retryQueue) {
        this.uri = uri;
        this.retryQueue = retryQueue;
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
            f.setConnectionTimeout(millis);
            f.setHandshakeTimeout(millis);
            f.setChannelRpcTimeout(millis);
            f.setAutomaticRecoveryEnabled(false);
            try (Connection c = f.newConnection("fleetcore-heartbeat")) {
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
            return ProbeResult.down(name(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
