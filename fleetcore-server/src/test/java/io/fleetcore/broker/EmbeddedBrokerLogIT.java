package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.fleetcore.testing.TestServices;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's start, a connection, a channel and the declared topology say nothing at INFO under
 * logback.xml (Qpid Broker-J writes about 50 operational lines for them), while its trouble messages stay on.
 */
class EmbeddedBrokerLogIT {

    static final BrokerTopology TOPOLOGY = new BrokerTopology("fleetcore", "fleetcore.retry", "fleetcore.parked");

    @Test
    void routineBrokerLinesAreOffAndTroubleLinesOn() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        Path dir = Path.of(TestServices.buildDir(), TestServices.unique("embedded-broker-log"));
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, "127.0.0.1", TestServices.freePort())) {
            var f = BrokerConnection.factory(broker.uri(), 5000);
            try (Connection c = f.getRabbitConnectionFactory().newConnection(); Channel ch = c.createChannel()) {
                TOPOLOGY.declare(ch);
            } finally {
                f.destroy();
            }
        } finally {
            root.detachAppender(events);
        }
        List<String> qpid = events.list.stream()
                .filter(e -> e.getLoggerName().startsWith("qpid.") || e.getLoggerName().startsWith("org.apache.qpid."))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                .toList();
        assertThat(qpid).as("broker lines at start").isEmpty();
        assertThat(events.list).as("fleetcore's own line about the broker")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("embedded AMQP 0-9-1 broker"));
        for (String trouble : List.of("qpid.message.broker.fatal_error", "qpid.message.queue.overfull",
                "qpid.message.port.bind_failed", "qpid.message.connection.dropped_connection",
                "qpid.message.virtualhost.filesystem_full", "qpid.message.authenticationprovider.authentication_failed")) {
            assertThat(((Logger) LoggerFactory.getLogger(trouble)).isEnabledFor(Level.INFO)).as(trouble).isTrue();
        }
        assertThat(((Logger) LoggerFactory.getLogger("org.apache.qpid.server.Broker")).isEnabledFor(Level.WARN)).isTrue();
    }
}
