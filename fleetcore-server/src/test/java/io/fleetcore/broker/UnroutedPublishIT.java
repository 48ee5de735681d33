package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A confirm is not proof of a stored message: RabbitMQ (and the embedded broker) positively confirm a message
 * that no queue takes. With the retry queue's binding gone, a database outage must not ACK the device (the
 * dead-letter publish is mandatory and comes back); once the binding and the database are back, the device's
 * resend is stored once.
 */
class UnroutedPublishIT {

    static final String PACKET = "{\"device_number\":\"%s\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
            + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";

    @Test
    void rabbitMqWithoutTheRetryBindingNoAckThenTheResendIsStoredOnce() throws Exception {
        unroutedDeadLetterIsNotAcked(TestServices.amqpUri(), "unrouted-rabbit");
    }

    @Test
    void embeddedBrokerWithoutTheRetryBindingNoAckThenTheResendIsStoredOnce() throws Exception {
        try (EmbeddedBroker qpid = EmbeddedBroker.start(Path.of(TestServices.buildDir(), TestServices.unique("unrouted-qpid")),
                "127.0.0.1", TestServices.freePort())) {
            unroutedDeadLetterIsNotAcked(qpid.uri(), "unrouted-qpid");
        }
    }

    static void unroutedDeadLetterIsNotAcked(String amqpUri, String device) throws Exception {
        String directDb = TestServices.newDatabase();
        ConnectionFactory admin = new ConnectionFactory();
        admin.setUri(URI.create(amqpUri));
        admin.setVirtualHost("/");
        try (TcpProxy dbProxy = TcpProxy.forJdbc(directDb);
             RunningFleetcore fc = RunningFleetcore.start(Map.of(
                     "fleetcore.db.url", dbProxy.jdbcUrl(directDb),
                     "test.db.direct-url", directDb,
                     "fleetcore.db.connection-timeout", "500ms",
                     "fleetcore.amqp.uri", amqpUri,
                     "fleetcore.amqp.confirm-timeout-ms", "2000"));
             Connection connection = admin.newConnection();
             Channel ch = connection.createChannel()) {
            BrokerTopology topology = fc.topology();
            String packet = PACKET.formatted(device);
            ch.queueUnbind(topology.retryQueue(), topology.exchange(), topology.retryQueue());
            dbProxy.cut();

            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 15000))
                    .as("no ACK: the dead-letter publish reached no queue").isEmpty();
            assertThat(ch.queueDeclarePassive(topology.retryQueue()).getMessageCount()).isZero();
            assertThat(fc.count("select count(*) from records where device_uid = '" + device + "'")).isZero();

            ch.queueBind(topology.retryQueue(), topology.exchange(), topology.retryQueue());
            dbProxy.restore();
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 15000)).as("the device's resend").isEqualTo("1");
            assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + device + "'", 1)).isEqualTo(1);
        }
    }
}
