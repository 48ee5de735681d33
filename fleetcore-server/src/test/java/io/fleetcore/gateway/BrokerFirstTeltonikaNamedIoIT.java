package io.fleetcore.gateway;

import java.util.Map;

/** Named IO and device events of Teltonika records on broker-first: stored from the ingest queue, once. */
class BrokerFirstTeltonikaNamedIoIT extends TeltonikaNamedIoIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
