package io.fleetcore.gateway;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open device connections: at most {@code maxTotal} over all gateways and {@code maxPerAddress} from
 * one remote IP address. A connection beyond either is closed at once, before any byte of it is read,
 * counted in {@code fleetcore_connections_refused_total{reason}} and logged once per address per minute.
 * One instance serves every gateway; put it first in a gateway's {@code decoders}.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("fleetcoreCountedAddress");
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** addresses remembered for the once-a-minute log, at most */
    private static final int LOGGED_ADDRESSES = 10_000;

    private final int maxTotal;
    private final int maxPerAddress;
    private final FleetcoreMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public ConnectionLimit(int maxTotal, int maxPerAddress, FleetcoreMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String address = address(ctx.channel().remoteAddress());
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refuse(ctx, address, "total", maxTotal);
            return;
        }
        int fromAddress = perAddress.merge(address, 1, Integer::sum);
        if (fromAddress > maxPerAddress) {
            release(address); // takes back this connection's count, total and per address
            refuse(ctx, address, "per-ip", maxPerAddress);
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            release(address);
            ctx.fireChannelInactive();
        } // a refused connection was never announced to the handlers behind this one
    }

    private void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void refuse(ChannelHandlerContext ctx, String address, String reason, int limit) {
        metrics.connectionRefused(reason);
        long now = System.nanoTime();
        Long last = lastLogged.get(address);
        if (last == null || now - last >= LOG_EVERY_NANOS) {
            if (lastLogged.size() >= LOGGED_ADDRESSES) {
                lastLogged.clear();
            }
            lastLogged.put(address, now);
            LOG.warn("[{}] connection refused: {} connection limit of {} reached (logged once a minute per address)",
                    address, reason, limit);
        }
        ctx.close();
    }

    /** Open connections counted now. */
    public int openConnections() {
        return total.get();
    }

    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }
}
