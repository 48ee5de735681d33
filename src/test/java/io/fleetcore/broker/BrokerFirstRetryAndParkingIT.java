package io.fleetcore.broker;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same outages and poison as {@link RetryAndParkingIT}, on the broker-first route folder: the device is
 * ACKed after the ingest-queue confirm, the records are stored from that queue.
 */
class BrokerFirstRetryAndParkingIT extends RetryAndParkingIT {

    @BeforeAll
    static void start() throws Exception {
        startWith(Map.of("fleetcore.routes", "routes/broker-first"));
    }
}
