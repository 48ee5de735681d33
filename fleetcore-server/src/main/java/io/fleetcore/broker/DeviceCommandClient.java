package io.fleetcore.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends a text command to a connected device through the broker and waits for its answer; the CLI
 * ({@code fleetcore command}) and the API ({@code POST /api/v1/devices/{id}/commands}) use it. Every instance
 * binds its own command queue to the direct exchange {@code fleetcore.amqp.commands-exchange} with the IMEI of
 * each device connected to it; the command is published there with routing key = the device, {@code mandatory},
 * a reply queue of its own (server-named, exclusive: RabbitMQ and the embedded broker both have it) and a
 * correlation id. A returned (RabbitMQ) or nacked (Qpid) message means no instance holds the device's connection: answered
 * at once.
 */
public final class DeviceCommandClient {

    /** Message header: how long the instance waits for the device, in milliseconds. */
    public static final String TIMEOUT_HEADER = "fleetcore-timeout-ms";
    /** Reply header: how the command ended, one of {@link Status}. */
    public static final String STATUS_HEADER = "fleetcore-status";
    /** Time for the broker's confirm of the publish. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    /** Waited beyond the timeout for the instance's own timeout reply before answering it here. */
    static final Duration GRACE = Duration.ofSeconds(2);

    /** How a command ended. */
    public enum Status {
        /** the device answered; the text is its response */
        OK,
        /** no instance holds the device's connection */
        OFFLINE,
        /** the device did not answer in time */
        TIMEOUT,
        /** another command is in flight on the device's connection */
        BUSY,
        /** the connection closed before the device answered */
        CLOSED,
        /** the device's protocol takes no commands */
        UNSUPPORTED,
        /** the device answered with a damaged frame */
        DAMAGED;

        public static Status parse(Object value) {
            try {
                return value == null ? DAMAGED : valueOf(value.toString());
            } catch (IllegalArgumentException e) {
                return DAMAGED;
            }
        }
    }

    /** The end of one command: its status and the device's response ({@link Status#OK}) or a sentence saying what happened. */
    public record Result(Status status, String text) {
    }

    private final String exchange;

    public DeviceCommandClient(String exchange) {
        this.exchange = exchange;
    }

    /** Declares the commands exchange (direct, durable); every instance and client declares it alike. */
    public static void declare(Channel channel, String exchange) throws java.io.IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true);
    }

    /** The sentence of a command that timed out, the same from the client and from the instance. */
    public static String timedOut(String device, Duration timeout) {
        return "no response from " + device + " within " + seconds(timeout);
    }

    /** The sentence for a device no instance holds. */
    public static String offline(String device) {
        return "device " + device + " is not connected to any instance";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Sends {@code command} to {@code device} on a new channel of {@code connection} (left open) and waits up to
     * {@code timeout} (plus a short grace for the instance's own answer).
     */
    public Result send(Connection connection, String device, String command, Duration timeout) throws Exception {
        String correlation = UUID.randomUUID().toString();
        BlockingQueue<Result> result = new ArrayBlockingQueue<>(4);
        try (Channel channel = connection.createChannel()) {
            declare(channel, exchange);
            String replyQueue = channel.queueDeclare().getQueue();
            channel.basicConsume(replyQueue, true, (tag, delivery) -> {
                if (correlation.equals(delivery.getProperties().getCorrelationId())) {
                    Map<String, Object> headers = delivery.getProperties().getHeaders();
                    result.offer(new Result(Status.parse(headers == null ? null : headers.get(STATUS_HEADER)),
                            new String(delivery.getBody(), StandardCharsets.UTF_8)));
                }
            }, tag -> { });
            channel.addReturnListener(returned -> {
                if (correlation.equals(returned.getProperties().getCorrelationId())) {
                    result.offer(new Result(Status.OFFLINE, offline(device)));
                }
            });
            channel.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .correlationId(correlation)
                    .replyTo(replyQueue)
                    .contentType("text/plain")
                    // no per-message expiration: the embedded broker (Qpid) reads it as an absolute time and drops the
                    // command unseen; the holding instance consumes at once and ends the command after the timeout
                    .headers(Map.of(TIMEOUT_HEADER, timeout.toMillis()))
                    .build();
            channel.basicPublish(exchange, device, true, props, command.getBytes(StandardCharsets.UTF_8));
            // RabbitMQ returns an unroutable mandatory message before its ack; the embedded broker (Qpid) nacks it
            if (!channel.waitForConfirms(CONFIRM_TIMEOUT.toMillis())) {
                return new Result(Status.OFFLINE, offline(device));
            }
            Result r = result.poll(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            return r != null ? r : new Result(Status.TIMEOUT, timedOut(device, timeout));
        }
    }
}
