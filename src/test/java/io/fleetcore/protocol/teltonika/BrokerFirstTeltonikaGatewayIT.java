package io.fleetcore.protocol.teltonika;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The Teltonika gateway's guarantees (ACK counts, rows once, OBD names, refusals) on the broker-first topology. */
class BrokerFirstTeltonikaGatewayIT extends TeltonikaGatewayIT {

    @BeforeAll
    static void start() {
        startWith(Map.of("fleetcore.routes", "routes/broker-first"));
    }
}
