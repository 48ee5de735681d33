package io.fleetcore.gateway;

import java.util.Map;

/** The GT06 gateway's guarantees (ACKs, rows, refusals) on broker-first. */
class BrokerFirstGt06GatewayIT extends Gt06GatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
