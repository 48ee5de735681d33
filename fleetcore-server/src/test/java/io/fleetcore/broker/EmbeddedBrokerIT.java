package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The embedded broker that stands in when FLEETCORE_AMQP_URI is empty: persistent, and enough for fleetcore. */
class EmbeddedBrokerIT {

    static final BrokerTopology TOPOLOGY = new BrokerTopology("fleetcore", "fleetcore.retry", "fleetcore.parked");

    @Test
    void startsWithoutBouncyCastle() throws Exception {
        assertThatThrownBy(() -> Class.forName("org.bouncycastle.operator.OperatorCreationException"))
                .as("BouncyCastle is excluded from the server").isInstanceOf(ClassNotFoundException.class);
        Path dir = Path.of(TestServices.buildDir(), TestServices.unique("embedded-broker"));
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, "127.0.0.1", TestServices.freePort())) {
            CachingConnectionFactory f = BrokerConnection.factory(broker.uri(), 5000);
            try (Connection c = f.getRabbitConnectionFactory().newConnection()) {
                assertThat(c.isOpen()).isTrue();
            } finally {
                f.destroy();
            }
        }
    }

    @Test
    void aMessageQueuedBeforeARestartIsStillThereAfterIt() throws Exception {
        Path dir = Path.of(TestServices.buildDir(), TestServices.unique("embedded-broker"));
        int port = TestServices.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, "127.0.0.1", port)) {
            CachingConnectionFactory f = BrokerConnection.factory(broker.uri(), 5000);
            try (Connection c = f.getRabbitConnectionFactory().newConnection(); Channel ch = c.createChannel()) {
                TOPOLOGY.declare(ch);
                ch.confirmSelect();
                ch.basicPublish(TOPOLOGY.exchange(), TOPOLOGY.retryQueue(), true, MessageProperties.PERSISTENT_BASIC,
                        "kept".getBytes(StandardCharsets.UTF_8));
                ch.waitForConfirmsOrDie(5000);
            } finally {
                f.destroy();
            }
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, "127.0.0.1", port)) {
            CachingConnectionFactory f = BrokerConnection.factory(broker.uri(), 5000);
            try (Connection c = f.getRabbitConnectionFactory().newConnection(); Channel ch = c.createChannel()) {
                GetResponse kept = ch.basicGet(TOPOLOGY.retryQueue(), true);
                assertThat(kept).as("message after restart").isNotNull();
                assertThat(new String(kept.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
                assertThat(ch.basicGet(TOPOLOGY.retryQueue(), true)).isNull();
            } finally {
                f.destroy();
            }
        }
    }

    @Test
    void withoutAnAmqpUriTheEmbeddedBrokerCarriesRecordsThroughADatabaseOutage() throws Exception {
        String directDb = TestServices.newDatabase();
        URI db = URI.create(directDb.substring("jdbc:".length()));
        try (TcpProxy dbProxy = TcpProxy.to(db.getHost(), db.getPort());
             RunningFleetcore fc = RunningFleetcore.start(Map.of(
                     "fleetcore.amqp.uri", "",
                     "fleetcore.amqp.embedded-port", String.valueOf(TestServices.freePort()),
                     "fleetcore.db.url", directDb.replace(":" + db.getPort() + "/", ":" + dbProxy.port() + "/"),
                     "test.db.direct-url", directDb,
                     "fleetcore.db.connection-timeout", "500ms"))) {
            assertThat(fc.server().runtime().broker().isEmbedded()).isTrue();
            dbProxy.cut();
            String packet = "{\"device_number\":\"emb-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                    + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 10000)).isEqualTo("1");
            assertThat(fc.count("select count(*) from records where device_uid = 'emb-1'")).isZero();
            dbProxy.restore();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (fc.count("select count(*) from records where device_uid = 'emb-1'") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(fc.count("select count(*) from records where device_uid = 'emb-1'")).isEqualTo(1);
        }
    }
}
