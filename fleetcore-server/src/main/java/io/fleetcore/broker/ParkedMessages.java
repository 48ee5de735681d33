package io.fleetcore.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The operator's view of the parked queue: list what is parked (without taking it off the queue) and replay
 * it onto the retry queue. Replay publishes with a confirm before it acknowledges the parked message, so a
 * failure half-way leaves every message in one of the two queues.
 */
public final class ParkedMessages {

    /** One parked message as the operator sees it. */
    public record Parked(String device, int records, int attempts, Instant firstFailure, String lastError) {
    }

    private final ConnectionFactory factory;
    private final BrokerTopology topology;
    private final Duration confirmTimeout;

    public ParkedMessages(ConnectionFactory factory, BrokerTopology topology, Duration confirmTimeout) {
        this.factory = factory;
        this.topology = topology;
        this.confirmTimeout = confirmTimeout;
    }

    /** Every parked message, oldest first; the queue is left as it was. */
    public List<Parked> list() throws IOException, TimeoutException {
        List<Parked> parked = new ArrayList<>();
        try (Connection connection = factory.newConnection("fleetcore-parked-list");
             Channel channel = connection.createChannel()) {
            topology.declare(channel);
            GetResponse response;
            // unacknowledged gets go back to the queue when the channel closes
            while ((response = channel.basicGet(topology.parkedQueue(), false)) != null) {
                parked.add(describe(response.getBody()));
            }
        }
        return parked;
    }

    /** Moves every parked message back to the retry queue with its attempts cleared; returns how many. */
    public int replay() throws IOException, TimeoutException, InterruptedException {
        int moved = 0;
        try (Connection connection = factory.newConnection("fleetcore-parked-replay");
             Channel channel = connection.createChannel()) {
            topology.declare(channel);
            channel.confirmSelect();
            GetResponse response;
            while ((response = channel.basicGet(topology.parkedQueue(), false)) != null) {
                byte[] body = replayed(response.getBody());
                AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder().contentType("application/json").build();
                channel.basicPublish(topology.exchange(), topology.retryQueue(), true, props, body);
                channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                moved++;
            }
        }
        return moved;
    }

    private static Parked describe(byte[] body) {
        try {
            RetryEnvelope e = RetryEnvelope.fromJson(body);
            return new Parked(e.device(), e.records().size(), e.attempts(), e.firstFailure(), e.lastError());
        } catch (IllegalArgumentException notAnEnvelope) {
            return new Parked(null, 0, 0, null, "unreadable message of " + body.length + " bytes: " + notAnEnvelope.getMessage());
        }
    }

    private static byte[] replayed(byte[] body) {
        try {
            return RetryEnvelope.fromJson(body).replayed().toJson();
        } catch (IllegalArgumentException notAnEnvelope) {
            return body; // it will be parked again; nothing is thrown away
        }
    }
}
