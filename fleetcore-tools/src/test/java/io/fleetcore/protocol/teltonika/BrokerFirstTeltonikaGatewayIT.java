package io.fleetcore.protocol.teltonika;

import java.util.Map;

/** The Teltonika gateway's guarantees (ACK counts, rows once, OBD names, refusals) on the broker-first topology. */
class BrokerFirstTeltonikaGatewayIT extends TeltonikaGatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
