package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route steps {@code read-device-id} (the path's {@code {id}}, required) and {@code read-rejected-device}
 * (query parameter {@code device}, optional): the device id validated into header {@link ExchangeNames#API_DEVICE_ID}.
 */
public final class ReadDeviceId implements Processor {

    private final String parameter;
    private final String label;
    private final boolean required;

    /** {@code label} names the parameter in a refusal ("device id" for the path's {id}). */
    public ReadDeviceId(String parameter, String label, boolean required) {
        this.parameter = parameter;
        this.label = label;
        this.required = required;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = in.getHeader(parameter, String.class);
        in.removeHeader(ExchangeNames.API_DEVICE_ID);
        if (required || (id != null && !id.isEmpty())) {
            in.setHeader(ExchangeNames.API_DEVICE_ID, ApiParameters.deviceId(label, id));
        }
    }
}
