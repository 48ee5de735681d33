package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplySequencerTest {

    /** Stands in for Camel's handler: records what reached the route. */
    static final class Route extends ChannelInboundHandlerAdapter {
        final List<Object> received = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(msg);
        }
    }

    @Test
    void nextFrameReachesTheRouteOnlyAfterTheReplyToThePreviousOne() {
        Route route = new Route();
        EmbeddedChannel ch = new EmbeddedChannel(new ReplySequencer(1 << 20), route);
        ch.writeInbound("a", "b", "c");
        assertThat(route.received).containsExactly("a");
        ch.writeOutbound("reply-a");
        assertThat(route.received).containsExactly("a", "b");
        ch.writeOutbound("reply-b");
        ch.writeOutbound("reply-c");
        assertThat(route.received).containsExactly("a", "b", "c");
        assertThat((Object) ch.readOutbound()).isEqualTo("reply-a");
        assertThat((Object) ch.readOutbound()).isEqualTo("reply-b");
        assertThat((Object) ch.readOutbound()).isEqualTo("reply-c");
        ch.writeInbound("d");
        assertThat(route.received).containsExactly("a", "b", "c", "d");
    }

    @Test
    void manyQueuedFramesStopSocketReadsUntilTheyDrain() {
        Route route = new Route();
        EmbeddedChannel ch = new EmbeddedChannel(new ReplySequencer(1 << 20), route);
        for (int i = 0; i <= ReplySequencer.MAX_QUEUED; i++) {
            ch.writeInbound("f" + i);
        }
        assertThat(ch.config().isAutoRead()).isFalse();
        for (int i = 0; i <= ReplySequencer.MAX_QUEUED; i++) {
            ch.writeOutbound("r" + i);
        }
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(route.received).hasSize(ReplySequencer.MAX_QUEUED + 1);
    }

    @Test
    void queuedBytesBeyondTheCapStopSocketReads() {
        Route route = new Route();
        EmbeddedChannel ch = new EmbeddedChannel(new ReplySequencer(1000), route);
        ch.writeInbound(new byte[400]); // in flight
        ch.writeInbound(new byte[400], new byte[400]);
        assertThat(ch.config().isAutoRead()).as("800 bytes queued").isTrue();
        ch.writeInbound(new byte[400]);
        assertThat(ch.config().isAutoRead()).as("1200 bytes queued, only 3 frames").isFalse();
        ch.writeOutbound("r0");
        ch.writeOutbound("r1");
        assertThat(ch.config().isAutoRead()).as("400 bytes queued").isTrue();
        assertThat(route.received).hasSize(3);
    }

    @Test
    void aReplyThatClosesTheConnectionDropsTheFramesQueuedBehindIt() {
        Route route = new Route();
        EmbeddedChannel ch = new EmbeddedChannel(new ReplySequencer(1 << 20), route);
        ch.writeInbound("login", "packet-1", "packet-2");
        assertThat(route.received).containsExactly("login");
        ch.attr(DeviceChannel.CLOSING).set(Boolean.TRUE); // what DeviceChannel.closeAfterReply marks
        ch.writeOutbound("refused");
        ch.writeInbound("packet-3");
        assertThat(route.received).containsExactly("login");
        assertThat((Object) ch.readOutbound()).isEqualTo("refused");
    }
}
