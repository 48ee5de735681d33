package io.fleetcore.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.model.ExchangeNames;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route steps {@code read-new-device} ({@code POST /devices}: {@code device_id}, optional {@code protocol}
 * and {@code enabled}, default true) and {@code read-device-patch} ({@code PATCH /devices/{id}}: only
 * {@code enabled}). The JSON body into headers {@link ExchangeNames#API_DEVICE_ID}, {@link ExchangeNames#API_DEVICE_PROTOCOL},
 * {@link ExchangeNames#API_DEVICE_ENABLED}; an unknown field, a wrong type or a missing field is a 400.
 */
public final class ReadDeviceChange implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean register;

    private ReadDeviceChange(boolean register) {
        this.register = register;
    }

    public static ReadDeviceChange register() {
        return new ReadDeviceChange(true);
    }

    public static ReadDeviceChange patch() {
        return new ReadDeviceChange(false);
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode body = parse(in.getBody(String.class));
        Set<String> allowed = register ? Set.of("device_id", "protocol", "enabled") : Set.of("enabled");
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiProblem.badRequest("unknown field '" + ApiParameters.shorten(name) + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw ApiProblem.badRequest("enabled must be true or false");
        }
        if (register) {
            JsonNode id = body.get("device_id");
            if (id == null || !id.isTextual()) {
                throw ApiProblem.badRequest("device_id is required (a string)");
            }
            in.setHeader(ExchangeNames.API_DEVICE_ID, ApiParameters.deviceId("device_id", id.asText()));
            JsonNode protocol = body.get("protocol");
            if (protocol != null && !protocol.isNull() && !protocol.isTextual()) {
                throw ApiProblem.badRequest("protocol must be a string");
            }
            in.setHeader(ExchangeNames.API_DEVICE_PROTOCOL, ApiParameters.protocol("protocol", protocol == null || protocol.isNull() ? null : protocol.asText()));
            in.setHeader(ExchangeNames.API_DEVICE_ENABLED, enabled == null || enabled.asBoolean());
        } else {
            if (enabled == null) {
                throw ApiProblem.badRequest("enabled is required (true or false)");
            }
            in.setHeader(ExchangeNames.API_DEVICE_ENABLED, enabled.asBoolean());
        }
    }

    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw ApiProblem.badRequest("the request needs a JSON object as its body");
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiProblem.badRequest("the body is not valid JSON");
        }
    }
}
