package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fleetcore.metrics.FleetcoreMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Connection limits and the first-frame timeout, on embedded channels (all from one "address"). */
class ConnectionLimitTest {

    private static double refused(FleetcoreMetrics metrics, String reason) {
        var counter = metrics.meterRegistry().find("fleetcore.connections.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreClosedAtOnceAndCounted() {
        FleetcoreMetrics metrics = new FleetcoreMetrics();
        ConnectionLimit limit = new ConnectionLimit(100, 2, metrics);
        EmbeddedChannel a = new EmbeddedChannel(limit);
        EmbeddedChannel b = new EmbeddedChannel(limit);
        EmbeddedChannel c = new EmbeddedChannel(limit);
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isTrue();
        assertThat(c.isOpen()).as("third from the same address").isFalse();
        assertThat(refused(metrics, "per-ip")).isEqualTo(1.0);
        assertThat(limit.openConnections()).isEqualTo(2);
        a.close();
        EmbeddedChannel d = new EmbeddedChannel(limit);
        assertThat(d.isOpen()).as("room again after one closed").isTrue();
        assertThat(limit.openConnections()).isEqualTo(2);
        b.close();
        d.close();
        assertThat(limit.openConnections()).isZero();
    }

    @Test
    void refusedConnectionsAreLoggedOncePerAddressNotOncePerConnection() {
        Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLimit.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            ConnectionLimit limit = new ConnectionLimit(100, 1, new FleetcoreMetrics());
            EmbeddedChannel kept = new EmbeddedChannel(limit);
            for (int i = 0; i < 50; i++) {
                assertThat(new EmbeddedChannel(limit).isOpen()).isFalse();
            }
            assertThat(log.list).hasSize(1);
            assertThat(log.list.get(0).getFormattedMessage()).contains("per-ip connection limit of 1 reached");
            kept.close();
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void connectionsBeyondTheTotalLimitAreClosedAtOnceAndCounted() {
        FleetcoreMetrics metrics = new FleetcoreMetrics();
        ConnectionLimit limit = new ConnectionLimit(1, 100, metrics);
        EmbeddedChannel a = new EmbeddedChannel(limit);
        EmbeddedChannel b = new EmbeddedChannel(limit);
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isFalse();
        assertThat(refused(metrics, "total")).isEqualTo(1.0);
        assertThat(refused(metrics, "per-ip")).isZero();
        a.close();
        assertThat(limit.openConnections()).isZero();
    }

    @Test
    void aConnectionWithoutAWholeFrameInTimeIsClosed() {
        EmbeddedChannel silent = new EmbeddedChannel(new FirstFrameTimeout(Duration.ofSeconds(30)));
        EmbeddedChannel talking = new EmbeddedChannel(new FirstFrameTimeout(Duration.ofSeconds(30)));
        talking.writeInbound("frame");
        silent.advanceTimeBy(29, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertThat(silent.isOpen()).as("29 s").isTrue();
        silent.advanceTimeBy(2, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertThat(silent.isOpen()).as("31 s without a frame").isFalse();
        talking.advanceTimeBy(31, TimeUnit.SECONDS);
        talking.runScheduledPendingTasks();
        assertThat(talking.isOpen()).as("sent a frame in time").isTrue();
        assertThat((Object) talking.readInbound()).isEqualTo("frame");
        talking.finishAndReleaseAll();
    }
}
