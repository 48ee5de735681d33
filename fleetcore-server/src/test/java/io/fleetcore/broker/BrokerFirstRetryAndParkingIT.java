package io.fleetcore.broker;

import java.util.Map;

/**
 * The same outages and poison as {@link RetryAndParkingIT}, on the broker-first route folder: the device is
 * ACKed after the ingest-queue confirm, the records are stored from that queue.
 */
class BrokerFirstRetryAndParkingIT extends RetryAndParkingIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.routes", "routes/broker-first");
    }
}
