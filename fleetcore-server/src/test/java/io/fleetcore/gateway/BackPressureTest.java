package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reads pause while the store is saturated and resume when it has room; nothing read is dropped. */
class BackPressureTest {

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void pausesReadingWhileSaturatedAndResumesOnRelief() {
        AtomicBoolean full = new AtomicBoolean(false);
        BackPressure bp = new BackPressure(full::get);
        EmbeddedChannel a = new EmbeddedChannel(bp);
        EmbeddedChannel b = new EmbeddedChannel(bp);

        a.writeInbound(bytes("x"));
        assertThat(a.config().isAutoRead()).isTrue();
        assertThat(bp.pausedConnections()).isZero();

        full.set(true);
        a.writeInbound(bytes("y"));
        b.writeInbound(bytes("z"));
        assertThat(a.config().isAutoRead()).isFalse();
        assertThat(b.config().isAutoRead()).isFalse();
        assertThat(bp.pausedConnections()).isEqualTo(2);
        assertThat(bp.pauses()).isEqualTo(2);
        // what was read is still passed on
        ByteBuf first = a.readInbound();
        ByteBuf second = a.readInbound();
        assertThat(first.toString(StandardCharsets.US_ASCII) + second.toString(StandardCharsets.US_ASCII)).isEqualTo("xy");
        first.release();
        second.release();

        full.set(false);
        bp.relieve();
        assertThat(a.config().isAutoRead()).isTrue();
        assertThat(b.config().isAutoRead()).isTrue();
        assertThat(bp.pausedConnections()).isZero();
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void closedConnectionIsForgotten() {
        BackPressure bp = new BackPressure(() -> true);
        EmbeddedChannel a = new EmbeddedChannel(bp);
        a.writeInbound(bytes("x"));
        assertThat(bp.pausedConnections()).isEqualTo(1);
        a.close();
        assertThat(bp.pausedConnections()).isZero();
        a.finishAndReleaseAll();
    }

    @Test
    void storeReliefDoesNotResumeAConnectionItsReplyQueuePaused() {
        AtomicBoolean full = new AtomicBoolean(true);
        BackPressure bp = new BackPressure(full::get);
        ReplySequencerTest.Route route = new ReplySequencerTest.Route();
        EmbeddedChannel ch = new EmbeddedChannel(bp, new ReplySequencer(1 << 20), route);
        for (int i = 0; i <= ReplySequencer.MAX_QUEUED; i++) {
            ch.writeInbound(bytes("f" + i));
        }
        assertThat(ch.config().isAutoRead()).isFalse();
        full.set(false);
        bp.relieve();
        assertThat(ch.config().isAutoRead()).as("frames still queued behind the one in flight").isFalse();
        for (int i = 0; i < ReplySequencer.MAX_QUEUED; i++) {
            ch.writeOutbound("r" + i);
        }
        assertThat(ch.config().isAutoRead()).as("queue drained and store relieved").isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void storeReliefDoesNotResumeReadingDuringTheShutdownDrain() {
        AtomicBoolean full = new AtomicBoolean(true);
        BackPressure bp = new BackPressure(full::get);
        GatewayConnections connections = new GatewayConnections();
        EmbeddedChannel ch = new EmbeddedChannel(bp);
        connections.opened(ch);
        ch.writeInbound(bytes("x"));
        assertThat(connections.drain(Duration.ZERO)).isTrue();
        full.set(false);
        bp.relieve();
        assertThat(ch.config().isAutoRead()).as("shutdown: no new frames").isFalse();
        ch.finishAndReleaseAll();
    }
}
