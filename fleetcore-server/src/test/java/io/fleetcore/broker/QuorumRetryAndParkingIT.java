package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outages and poison of {@link RetryAndParkingIT} with quorum queues ({@code fleetcore.amqp.queue-type=quorum})
 * on the real RabbitMQ, with a short back-off so an outage requeues a message many times.
 */
class QuorumRetryAndParkingIT extends RetryAndParkingIT {

    @Override
    Map<String, String> topology() {
        return Map.of("fleetcore.amqp.queue-type", "quorum",
                "fleetcore.retry.initial-delay-ms", "10",
                "fleetcore.retry.max-delay-ms", "100");
    }

    /** RabbitMQ 4.x would drop (or dead-letter) a quorum-queue message after 20 deliveries by default. */
    @Test
    void aLongOutageRequeuesAMessageFarBeyondTwentyTimesAndItIsStoredOnce() throws Exception {
        DatabaseBackOff backOff = (DatabaseBackOff) fc.server().runtime().beans().get("databaseBackOff");
        dbProxy.cut();
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("long-outage-1", 7), 1, 15000)).isEqualTo("1");
        long before = backOff.waits();
        await("30 requeues of the one message", Duration.ofSeconds(60), () -> backOff.waits() - before >= 30);
        dbProxy.restore();
        await("stored", Duration.ofSeconds(15), () -> rowsQuietly("long-outage-") == 1);
        await("retry queue drained", Duration.ofSeconds(5), () -> retryReady() == 0);
        assertThat(TestBroker.parked(fc.topology()).list()).as("nothing of this device parked")
                .noneMatch(p -> p.device().startsWith("long-outage-"));
        assertThat(rows("long-outage-")).isEqualTo(1);
    }
}
