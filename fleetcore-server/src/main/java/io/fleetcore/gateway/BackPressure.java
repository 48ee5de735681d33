package io.fleetcore.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty back-pressure for the gateways: while the store's queue is (nearly) full, a connection that
 * delivers bytes stops reading its socket (auto-read off), so unread data stays in the kernel and the
 * device's TCP window closes instead of fleetcore buffering without bound. When the writer has caught up
 * ({@link #relieve()}, called by the store), every connection it paused reads again unless another
 * {@link ReadGate} reason still holds it. One instance serves
 * all connections; put it in front of the frame decoder.
 */
@ChannelHandler.Sharable
public final class BackPressure extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BackPressure.class);

    private final BooleanSupplier saturated;
    private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
    private final AtomicLong pauses = new AtomicLong();

    public BackPressure(BooleanSupplier saturated) {
        this.saturated = saturated;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (saturated.getAsBoolean() && !ReadGate.isPaused(ctx.channel(), ReadGate.Reason.STORE_FULL)) {
            ReadGate.pause(ctx.channel(), ReadGate.Reason.STORE_FULL);
            paused.add(ctx.channel());
            if (pauses.incrementAndGet() % 1000 == 1) {
                LOG.info("store queue full: pausing reads ({} connection(s) paused now, {} pauses so far)", paused.size(), pauses.get());
            }
            if (!saturated.getAsBoolean()) {
                relieve(); // the writer caught up in between
            }
        }
        ctx.fireChannelRead(msg); // what was read already is processed
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        paused.remove(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** The store has room again: resume reading on every paused connection. */
    public void relieve() {
        if (paused.isEmpty()) {
            return;
        }
        for (Channel ch : paused) {
            if (paused.remove(ch)) {
                ReadGate.resume(ch, ReadGate.Reason.STORE_FULL); // other reasons (reply queue, shutdown) still hold
            }
        }
    }

    /** Connections not reading right now. */
    public int pausedConnections() {
        return paused.size();
    }

    public long pauses() {
        return pauses.get();
    }
}
