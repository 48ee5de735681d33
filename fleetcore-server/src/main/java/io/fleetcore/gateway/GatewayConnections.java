package io.fleetcore.gateway;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open device connection of every gateway, and how many frames they sent that have no reply yet. On
 * shutdown {@link #drain(Duration)} stops accepting connections and reading frames, then waits until each
 * frame already read has its reply (ACK after commit, refusal, or the connection closed without one):
 * Camel's own stop of a netty consumer closes its connections at once, which would cut those replies.
 */
public final class GatewayConnections {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnections.class);

    private final ChannelGroup open = new DefaultChannelGroup("fleetcore-devices", GlobalEventExecutor.INSTANCE);
    private final AtomicLong unanswered = new AtomicLong();
    private volatile boolean draining;

    void opened(Channel channel) {
        open.add(channel);
        if (draining) {
            ReadGate.pause(channel, ReadGate.Reason.SHUTDOWN);
            channel.close();
        }
    }

    void framesIn(int n) {
        unanswered.addAndGet(n);
    }

    void framesAnswered(int n) {
        unanswered.addAndGet(-n);
    }

    /** True once {@link #drain(Duration)} began: fleetcore is shutting down. */
    public boolean isDraining() {
        return draining;
    }

    public int openConnections() {
        return open.size();
    }

    public long unansweredFrames() {
        return unanswered.get();
    }

    /**
     * Closes the listening sockets (devices get "connection refused" and retry elsewhere), stops reading
     * from open connections, and waits until every frame read so far is answered or {@code timeout} ends.
     *
     * @return true when nothing was left unanswered in time
     */
    public boolean drain(Duration timeout) {
        draining = true;
        Set<Channel> listening = new HashSet<>();
        for (Channel c : open) {
            ReadGate.pause(c, ReadGate.Reason.SHUTDOWN);
            if (c.parent() != null) {
                listening.add(c.parent());
            }
        }
        listening.forEach(s -> s.close().awaitUninterruptibly(1000));
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        LOG.info("draining: {} connections, {} frames awaiting their reply; no new connections or frames accepted",
                open.size(), unanswered.get());
        while (unanswered.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long left = unanswered.get();
        if (left > 0) {
            LOG.warn("drain timed out after {}: {} frames still without reply (not ACKed: devices keep and resend them)", timeout, left);
        } else {
            LOG.info("drained in {} ms: every frame read has its reply", (System.nanoTime() - start) / 1_000_000);
        }
        return left <= 0;
    }
}
