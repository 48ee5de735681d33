package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Broker-first publishes to the ingest queue without waiting on a thread for the confirm; the ACK still
 * waits for it and for the message to be routed. With the ingest queue's binding gone the broker confirms
 * a message no queue took (it comes back, basic.return): the device gets no ACK and nothing is stored. With
 * the binding back, the resend is ACKed and stored once.
 */
class BrokerFirstUnroutedPublishIT {

    @Test
    void anIngestPublishNoQueueTookIsNotAckedAndTheResendIsStoredOnce() throws Exception {
        ConnectionFactory admin = new ConnectionFactory();
        admin.setUri(URI.create(TestServices.amqpUri()));
        admin.setVirtualHost("/");
        String device = TestServices.unique("bf-unrouted");
        String packet = UnroutedPublishIT.PACKET.formatted(device);
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                     "fleetcore.routes", "routes/broker-first",
                     "fleetcore.amqp.confirm-timeout-ms", "3000"));
             Connection connection = admin.newConnection();
             Channel ch = connection.createChannel()) {
            BrokerTopology topology = fc.topology();
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), UnroutedPublishIT.PACKET.formatted(device + "-ok"), 1, 15000))
                    .as("ACK while the ingest queue is bound").isEqualTo("1");

            ch.queueUnbind(topology.ingestQueue(), topology.exchange(), topology.ingestQueue());
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 10000))
                    .as("no ACK: the ingest publish reached no queue").isEmpty();
            assertThat(ch.queueDeclarePassive(topology.ingestQueue()).getMessageCount()).isZero();
            assertThat(fc.count("select count(*) from records where device_uid = '" + device + "'")).isZero();

            ch.queueBind(topology.ingestQueue(), topology.exchange(), topology.ingestQueue());
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 15000)).as("the device's resend").isEqualTo("1");
            assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + device + "'", 1)).isEqualTo(1);
            assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + device + "-ok'", 1)).isEqualTo(1);
        }
    }
}
