package io.fleetcore.gateway;

import io.fleetcore.protocol.ProtocolException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code require-admission} of gateways with a login (Teltonika): a frame is taken only on a
 * connection whose login was accepted ({@link DeviceChannel#admit}); any other raises the
 * {@link ProtocolException} the route refuses it with.
 */
public final class RequireAdmissionProcessor implements Processor {

    @Override
    public void process(Exchange exchange) throws ProtocolException {
        if (!DeviceChannel.isAdmitted(exchange)) {
            throw new ProtocolException("not-admitted", "frame on a connection without an accepted login");
        }
    }
}
