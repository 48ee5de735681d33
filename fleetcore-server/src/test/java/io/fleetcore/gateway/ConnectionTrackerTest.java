package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.GatewaysHealthCheck;
import io.fleetcore.metrics.FleetcoreMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The per-connection tracker on an EmbeddedChannel: gauge, ACK latency, unanswered frames and the drain. */
class ConnectionTrackerTest {

    final FleetcoreMetrics metrics = new FleetcoreMetrics();
    final GatewayConnections connections = new GatewayConnections();

    double gauge() {
        return metrics.registry().get("fleetcore.connections").tag("protocol", "json").gauge().value();
    }

    long acksTimed() {
        return metrics.registry().get("fleetcore.ack.latency").timer().count();
    }

    @Test
    void countsTheConnectionAndTimesEachReplyAgainstItsFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionTracker("json", metrics, connections));
        assertThat(gauge()).isEqualTo(1);
        assertThat(connections.openConnections()).isEqualTo(1);

        channel.writeInbound(new byte[] {'{', '}'});
        channel.writeInbound(new byte[] {'{', '}'});
        assertThat(connections.unansweredFrames()).isEqualTo(2);
        channel.writeOutbound("1");
        assertThat(connections.unansweredFrames()).isEqualTo(1);
        assertThat(acksTimed()).isEqualTo(1);

        channel.close();
        assertThat(gauge()).isZero();
        assertThat(connections.unansweredFrames()).as("a closed connection owes nothing").isZero();
        assertThat(connections.openConnections()).isZero();
        assertThat(acksTimed()).isEqualTo(1);
    }

    @Test
    void drainWaitsForUnansweredFramesAndStopsReading() {
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionTracker("json", metrics, connections));
        channel.writeInbound(new byte[] {'{', '}'});
        assertThat(connections.drain(Duration.ofMillis(100))).as("a frame without reply: not drained").isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.writeOutbound("1");
        assertThat(connections.drain(Duration.ofMillis(100))).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionOpenedWhileDrainingIsClosedAndReadinessIsDown() {
        GatewaysHealthCheck readiness = new GatewaysHealthCheck(connections);
        readiness.setCamelContext(new DefaultCamelContext());
        assertThat(readiness.isReadiness()).isTrue();
        assertThat(readiness.isLiveness()).isFalse();
        assertThat(readiness.call().getState()).isEqualTo(HealthCheck.State.UP);
        connections.drain(Duration.ZERO);
        assertThat(readiness.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        EmbeddedChannel late = new EmbeddedChannel(new ConnectionTracker("json", metrics, connections));
        assertThat(late.isOpen()).isFalse();
    }
}
