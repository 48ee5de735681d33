package io.fleetcore.gateway;

import java.util.Map;

/** The json gateway's guarantees (values, idempotency, order, refusals, 200 connections) on broker-first. */
class BrokerFirstJsonGatewayIT extends JsonGatewayIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
