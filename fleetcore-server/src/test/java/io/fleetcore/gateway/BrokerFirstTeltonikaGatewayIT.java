package io.fleetcore.gateway;

import java.util.Map;

/** The Teltonika gateway's guarantees (ACKs, rows, refusals) on broker-first. */
class BrokerFirstTeltonikaGatewayIT extends TeltonikaGatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
