package io.fleetcore.gateway;

import io.fleetcore.protocol.ProtocolException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code require-login}: on a protocol with a login (Teltonika, GT06) a frame that is not a login
 * is taken only on a connection whose login was accepted ({@link DeviceChannel#admit}); any other raises the
 * {@link ProtocolException} the route refuses it with. Protocols without a login pass.
 */
public final class RequireAdmissionProcessor implements Processor {

    private final Protocols protocols;

    public RequireAdmissionProcessor(Protocols protocols) {
        this.protocols = protocols;
    }

    @Override
    public void process(Exchange exchange) throws ProtocolException {
        if (protocols.of(exchange).loginRequired() && !DeviceChannel.isAdmitted(exchange)) {
            throw new ProtocolException("not-admitted", "frame on a connection without an accepted login");
        }
    }
}
