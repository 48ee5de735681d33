package io.fleetcore.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.broker.DeviceCommandClient;
import io.fleetcore.broker.DeviceCommandClient.Result;
import io.fleetcore.model.ExchangeNames;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route steps of {@code POST /api/v1/devices/{id}/commands} (admin): {@link #read()} takes the JSON body
 * {@code {"command": "getinfo", "timeout_s": 30}} into headers (400 when it is wrong); {@link #send} sends the
 * command to the device of header {@link ExchangeNames#API_DEVICE_ID} (the body: how many devices of that id
 * exist, 404 when none) through any instance and answers 200 with the device's response, 409 when the device
 * is not connected or busy, 504 when it did not answer in time. A command holds its HTTP worker thread while it
 * waits (camel-platform-http runs a route on a Vert.x worker until it ends), so at most
 * {@code fleetcore.commands.max-waiting} wait at once and one more is answered 503 at once: commands never take
 * every worker from the API's reads.
 */
public final class SendDeviceCommand implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_COMMAND_CHARS = 1024;

    private final DeviceCommandClient client;
    private final Supplier<com.rabbitmq.client.Connection> connection;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;
    private final boolean reading;
    private final Semaphore waiting;
    private final int maxWaiting;

    private SendDeviceCommand(DeviceCommandClient client, Supplier<com.rabbitmq.client.Connection> connection,
                              Duration defaultTimeout, Duration maxTimeout, boolean reading, int maxWaiting) {
        this.client = client;
        this.maxWaiting = maxWaiting;
        this.waiting = new Semaphore(maxWaiting);
        this.connection = connection;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
        this.reading = reading;
    }

    /** Step {@code read-command}: the request body into headers. */
    public static SendDeviceCommand read(Duration defaultTimeout, Duration maxTimeout) {
        return new SendDeviceCommand(null, null, defaultTimeout, maxTimeout, true, 0);
    }

    /** Step {@code send-command}: the command to the device, its answer as the response; at most {@code maxWaiting} at once. */
    public static SendDeviceCommand send(DeviceCommandClient client, Supplier<com.rabbitmq.client.Connection> connection,
                                         int maxWaiting) {
        return new SendDeviceCommand(client, connection, null, null, false, maxWaiting);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (reading) {
            readRequest(exchange.getMessage());
        } else {
            sendCommand(exchange.getMessage());
        }
    }

    private void readRequest(Message in) {
        JsonNode body = ReadDeviceChange.parse(in.getBody(String.class));
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("command") && !name.equals("timeout_s")) {
                throw ApiProblem.badRequest("unknown field '" + ApiParameters.shorten(name) + "'; allowed: command, timeout_s");
            }
        }
        JsonNode command = body.get("command");
        if (command == null || !command.isTextual() || command.asText().isBlank()) {
            throw ApiProblem.badRequest("command is required (a non-empty string)");
        }
        String text = command.asText();
        if (text.length() > MAX_COMMAND_CHARS || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw ApiProblem.badRequest("command must be printable ASCII of at most " + MAX_COMMAND_CHARS + " characters");
        }
        Duration timeout = defaultTimeout;
        JsonNode seconds = body.get("timeout_s");
        if (seconds != null) {
            if (!seconds.isNumber() || seconds.asDouble() <= 0 || seconds.asDouble() * 1000 > maxTimeout.toMillis()) {
                throw ApiProblem.badRequest("timeout_s must be a number of seconds above 0 and at most " + maxTimeout.toSeconds());
            }
            timeout = Duration.ofMillis(Math.round(seconds.asDouble() * 1000));
        }
        in.setHeader(ExchangeNames.API_COMMAND, text);
        in.setHeader(ExchangeNames.API_COMMAND_TIMEOUT_MS, timeout.toMillis());
    }

    private void sendCommand(Message in) throws Exception {
        String device = in.getHeader(ExchangeNames.API_DEVICE_ID, String.class);
        Long known = in.getBody(Long.class);
        if (known == null || known == 0) {
            throw ApiProblem.notFound("no device '" + device + "'");
        }
        String command = in.getHeader(ExchangeNames.API_COMMAND, String.class);
        Duration timeout = Duration.ofMillis(in.getHeader(ExchangeNames.API_COMMAND_TIMEOUT_MS, Long.class));
        if (!waiting.tryAcquire()) {
            throw new ApiProblem(503, "too-many-commands", "Too many commands waiting", maxWaiting
                    + " commands are waiting for their devices (fleetcore.commands.max-waiting); send it again when one has ended");
        }
        Result result;
        try {
            result = client.send(connection.get(), device, command, timeout);
        } finally {
            waiting.release();
        }
        switch (result.status()) {
            case OK -> {
                in.removeHeaders("*");
                in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                in.setBody(JSON.writeValueAsString(JSON.createObjectNode().put("device_id", device).put("command", command)
                        .put("response", result.text())));
            }
            case TIMEOUT -> throw new ApiProblem(504, "device-timeout", "Device did not answer", result.text());
            case DAMAGED -> throw new ApiProblem(502, "device-bad-response", "Device answered a damaged frame", result.text());
            case BUSY -> throw new ApiProblem(409, "device-busy", "Device busy", result.text());
            case UNSUPPORTED -> throw new ApiProblem(409, "commands-unsupported", "Commands unsupported", result.text());
            default -> throw new ApiProblem(409, "device-offline", "Device not connected", result.text());
        }
    }
}
