package io.fleetcore.gateway;

import io.netty.channel.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code require-open-connection} of the dead-letter route: records of a device whose
 * connection is already closed are not published (nobody is left to ACK; the device keeps them and sends
 * them again), so a failing store does not turn into broker traffic for connections that are gone.
 * Exchanges that do not come from a gateway pass.
 */
public final class RequireOpenConnection implements Processor {

    /** The device's connection closed before its records could be made durable. */
    public static final class ConnectionClosedException extends Exception {
        public ConnectionClosedException(String message) {
            super(message);
        }
    }

    @Override
    public void process(Exchange exchange) throws ConnectionClosedException {
        Channel channel = DeviceChannel.of(exchange);
        if (channel != null && !channel.isActive()) {
            throw new ConnectionClosedException("connection " + channel.remoteAddress() + " closed: records not dead-lettered");
        }
    }
}
