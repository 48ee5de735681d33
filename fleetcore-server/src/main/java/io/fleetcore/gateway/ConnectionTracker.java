package io.fleetcore.gateway;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.DeviceResponse;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.store.RejectedFrames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection, placed after the frame decoder in a gateway's {@code decoders} list. Counts open
 * connections ({@code fleetcore_connections{protocol}}), measures each frame's time to its reply
 * ({@code fleetcore_ack_latency_seconds}: replies go out in frame order on a connection), and logs one line
 * when the device identifies itself and one when the connection closes, both with the device id. Reports
 * to {@link GatewayConnections}, which drains the gateways on shutdown.
 */
public final class ConnectionTracker extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTracker.class);
    static final AttributeKey<String> DEVICE = AttributeKey.valueOf("fleetcoreDevice");

    private final String protocol;
    private final FleetcoreMetrics metrics;
    private final GatewayConnections connections;
    private final ArrayDeque<Long> framesAwaitingReply = new ArrayDeque<>();
    private long openedAt;
    private long frames;
    private long replies;

    public ConnectionTracker(String protocol, FleetcoreMetrics metrics, GatewayConnections connections) {
        this.protocol = protocol;
        this.metrics = metrics;
        this.connections = connections;
    }

    /**
     * Route steps call this once the frame told who the device is (header {@link ExchangeNames#DEVICE}); the first
     * call on a connection logs the connection's open line.
     */
    public static void identify(Exchange exchange, String deviceUid) {
        Channel channel = DeviceChannel.of(exchange);
        if (channel == null || deviceUid == null) {
            return;
        }
        if (channel.attr(DEVICE).setIfAbsent(deviceUid) == null) {
            LOG.info("[{} {}] device {} connected", channel.remoteAddress(),
                    exchange.getProperty(ExchangeNames.PROTOCOL, "?", String.class), RejectedFrames.escape(deviceUid));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        openedAt = System.nanoTime();
        metrics.connection(protocol, 1);
        connections.opened(ctx.channel());
        LOG.debug("[{} {}] connection opened", ctx.channel().remoteAddress(), protocol);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        metrics.connection(protocol, -1);
        String device = RejectedFrames.escape(ctx.channel().attr(DEVICE).get());
        LOG.info("[{} {}] connection closed: device {}, {} frames, {} replies, {} unanswered, open {} ms",
                ctx.channel().remoteAddress(), protocol, device == null ? "? (never identified)" : device,
                frames, replies, framesAwaitingReply.size(), (System.nanoTime() - openedAt) / 1_000_000);
        connections.framesAnswered(framesAwaitingReply.size());
        framesAwaitingReply.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) throws Exception {
        frames++;
        framesAwaitingReply.addLast(System.nanoTime());
        connections.framesIn(1);
        super.channelRead(ctx, frame);
    }

    /** A device's answer to a command (from the frame decoder) completes the command; it is no frame. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof DeviceResponse response) {
            DeviceCommandRelay.answered(ctx.channel(), response);
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object reply, ChannelPromise promise) throws Exception {
        Long received = framesAwaitingReply.pollFirst();
        if (received != null) {
            connections.framesAnswered(1);
        }
        if (received != null && promise.isVoid()) {
            replies++;
            metrics.ackLatency(Duration.ofNanos(System.nanoTime() - received));
        } else if (received != null) {
            replies++;
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    metrics.ackLatency(Duration.ofNanos(System.nanoTime() - received));
                }
            });
        }
        super.write(ctx, reply, promise);
    }
}
