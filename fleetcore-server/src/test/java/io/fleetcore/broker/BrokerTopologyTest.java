package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code fleetcore.amqp.queue-type} shapes the declared queues, and what it refuses. */
class BrokerTopologyTest {

    @Test
    void classicQueuesCarryNoArgumentsQuorumQueuesTheirLimitAndParkedAsDeadLetterTarget() {
        BrokerTopology classic = new BrokerTopology("fc", "fc.retry", "fc.parked", "fc.ingest");
        assertThat(classic.queueArguments("fc.retry")).isEmpty();
        BrokerTopology quorum = BrokerConnection.topology(FleetcoreConfig.load(Map.of("fleetcore.amqp.queue-type", "Quorum")));
        assertThat(quorum.queueArguments(quorum.retryQueue())).containsEntry("x-queue-type", "quorum")
                .containsEntry("x-delivery-limit", 1_000_000L).containsEntry("x-dead-letter-exchange", quorum.exchange())
                .containsEntry("x-dead-letter-routing-key", quorum.parkedQueue());
        assertThat(quorum.queueArguments(quorum.parkedQueue())).as("the parked queue dead-letters nowhere")
                .containsEntry("x-queue-type", "quorum").doesNotContainKey("x-dead-letter-exchange");
    }

    @Test
    void anUnknownQueueTypeAndQuorumOnTheEmbeddedBrokerAreRefusedClearly() {
        assertThatThrownBy(() -> BrokerTopology.QueueType.parse("mirrored"))
                .hasMessageContaining("FLEETCORE_AMQP_QUEUE_TYPE").hasMessageContaining("mirrored");
        FleetcoreConfig quorumOnEmbedded = FleetcoreConfig.load(Map.of("fleetcore.amqp.uri", "",
                "fleetcore.amqp.queue-type", "quorum", "fleetcore.data-dir", "target/never-created"));
        assertThatThrownBy(() -> BrokerConnection.start(quorumOnEmbedded))
                .hasMessageContaining("FLEETCORE_AMQP_URI").hasMessageContaining("classic queues only");
        assertThatThrownBy(() -> BrokerConnection.bootEmbedded(quorumOnEmbedded))
                .as("refused before the embedded database starts, not after")
                .hasMessageContaining("FLEETCORE_AMQP_URI").hasMessageContaining("classic queues only");
    }
}
