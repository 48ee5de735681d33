package io.fleetcore.gateway;

import java.util.Map;

/** Teltonika over UDP on the broker-first topology: ACK once the broker confirmed, rows once, refusals kept. */
class BrokerFirstTeltonikaUdpGatewayIT extends TeltonikaUdpGatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }

    @Override
    boolean brokerFirst() {
        return true;
    }
}
