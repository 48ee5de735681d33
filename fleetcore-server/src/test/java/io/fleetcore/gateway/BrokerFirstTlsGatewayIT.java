package io.fleetcore.gateway;

import java.util.Map;

/** TLS and plain device ports side by side on broker-first: answered once the broker confirmed. */
class BrokerFirstTlsGatewayIT extends TlsGatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }

    @Override
    boolean rowBeforeAck() {
        return false;
    }
}
