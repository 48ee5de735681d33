package io.fleetcore.gateway;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The json gateway's guarantees (values, idempotency, order, refusals, 200 connections) on broker-first. */
class BrokerFirstJsonGatewayIT extends JsonGatewayIT {

    @BeforeAll
    static void start() {
        startWith(Map.of("fleetcore.routes", "routes/broker-first"));
    }
}
