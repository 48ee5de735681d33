package io.fleetcore.gateway;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import io.fleetcore.broker.DeviceCommandClient;
import io.fleetcore.broker.DeviceCommandClient.Status;
import io.fleetcore.model.DeviceResponse;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.DeviceProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * This instance's end of device commands (see {@link DeviceCommandClient}). Route step {@code offer-commands}
 * (after an admitted login; a protocol without commands is answered "unsupported") keeps the device's connection and binds this
 * instance's command queue (server-named, exclusive, auto-delete) to the commands exchange with the device's
 * id; the binding goes when the connection closes, and the whole queue when the instance or its broker
 * connection goes (every binding is made again on reconnect). A command is written on the device's connection
 * and answered, to the sender's reply queue, with the device's response or why there is none: timeout,
 * connection closed, or busy: the connection carries one command at a time (Codec 12 has no correlation id,
 * so a second answer could not be told from the first).
 */
public final class DeviceCommandRelay implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCommandRelay.class);
    static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("fleetcoreCommandPending");

    private final Protocols protocols;
    private final CachingConnectionFactory factory;
    private final String exchange;
    private final Duration defaultTimeout;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private com.rabbitmq.client.Channel amqp;
    private String queue;
    private volatile boolean closed;

    /** A device connection that takes commands, and its protocol. */
    record Held(Channel channel, DeviceProtocol protocol) {
    }

    /** The command in flight on a connection: whom to answer and when to give up. */
    final class Pending {
        final String device;
        final String correlationId;
        final String replyTo;
        final Duration timeout;
        ScheduledFuture<?> timer;

        Pending(String device, String correlationId, String replyTo, Duration timeout) {
            this.device = device;
            this.correlationId = correlationId;
            this.replyTo = replyTo;
            this.timeout = timeout;
        }

        void end(Channel channel, Status status, String text) {
            if (channel.attr(PENDING).compareAndSet(this, null)) {
                if (timer != null) {
                    timer.cancel(false);
                }
                reply(correlationId, replyTo, status, text);
            }
        }
    }

    public DeviceCommandRelay(Protocols protocols, CachingConnectionFactory factory, String exchange, Duration defaultTimeout) {
        this.protocols = protocols;
        this.factory = factory;
        this.exchange = exchange;
        this.defaultTimeout = defaultTimeout;
    }

    /** Route step: keeps an admitted device's TCP connection for commands when its protocol takes them. */
    @Override
    public void process(Exchange exchange) {
        Channel channel = DeviceChannel.of(exchange);
        DeviceProtocol protocol = protocols.of(exchange);
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        if (!(channel instanceof SocketChannel) || protocol == null || device == null || !DeviceChannel.isAdmitted(exchange)) {
            return;
        }
        Held h = new Held(channel, protocol);
        held.put(device, h);
        channel.closeFuture().addListener(f -> released(device, h));
        bind(device);
    }

    /** Called by the connection's {@link ConnectionTracker} when the device answered a command. */
    static void answered(Channel channel, DeviceResponse response) {
        Pending p = channel.attr(PENDING).get();
        if (p == null) {
            LOG.info("[{}] response without a command in flight ignored: {}", channel.remoteAddress(),
                    response.error() != null ? response.error() : response.text());
        } else if (response.error() != null) {
            p.end(channel, Status.DAMAGED, "device " + p.device + " answered with a damaged frame: " + response.error());
        } else {
            p.end(channel, Status.OK, response.text());
        }
    }

    /** Opens the command queue and binds every held device, unless it is open; run at start and on every broker reconnect. */
    public synchronized void ensureOpen() {
        if (closed || (amqp != null && amqp.isOpen())) {
            return;
        }
        try {
            amqp = factory.createConnection().getDelegate().createChannel();
            DeviceCommandClient.declare(amqp, exchange);
            queue = amqp.queueDeclare().getQueue();
            amqp.basicConsume(queue, true, (tag, delivery) -> command(delivery), tag -> { });
            for (Map.Entry<String, Held> e : held.entrySet()) {
                if (e.getValue().channel().isActive()) {
                    amqp.queueBind(queue, exchange, e.getKey());
                }
            }
            LOG.info("device commands: queue {} bound to {} for {} connected devices", queue, exchange, held.size());
        } catch (Exception e) {
            LOG.warn("device commands unavailable until the broker is back: {}", e.toString());
        }
    }

    private synchronized void bind(String device) {
        if (amqp == null || !amqp.isOpen()) {
            ensureOpen(); // a new queue, every held device bound (or later, when the broker is back)
            return;
        }
        try {
            amqp.queueBind(queue, exchange, device);
        } catch (Exception e) {
            LOG.warn("device {} cannot take commands until the broker is back: {}", device, e.toString());
        }
    }

    private void released(String device, Held h) {
        Pending p = h.channel().attr(PENDING).get();
        if (p != null) {
            p.end(h.channel(), Status.CLOSED, "the connection of " + device + " closed before it answered");
        }
        if (held.remove(device, h) && !held.containsKey(device)) {
            synchronized (this) {
                if (amqp != null && amqp.isOpen()) {
                    try {
                        amqp.queueUnbind(queue, exchange, device);
                    } catch (Exception e) {
                        LOG.debug("unbinding device {}: {}", device, e.toString());
                    }
                }
            }
        }
    }

    /** A command from the broker (on the AMQP client's thread): handed to the device connection's event loop. */
    private void command(Delivery delivery) {
        AMQP.BasicProperties props = delivery.getProperties();
        String device = delivery.getEnvelope().getRoutingKey();
        String text = new String(delivery.getBody(), StandardCharsets.UTF_8);
        Object ms = props.getHeaders() == null ? null : props.getHeaders().get(DeviceCommandClient.TIMEOUT_HEADER);
        Duration timeout = ms instanceof Number n ? Duration.ofMillis(n.longValue()) : defaultTimeout;
        Held h = held.get(device);
        if (h == null || !h.channel().isActive()) {
            reply(props.getCorrelationId(), props.getReplyTo(), Status.OFFLINE, DeviceCommandClient.offline(device));
            return;
        }
        byte[] frame = h.protocol().encodeCommand(text);
        if (frame == null) {
            reply(props.getCorrelationId(), props.getReplyTo(), Status.UNSUPPORTED,
                    "device " + device + " speaks " + h.protocol().name() + ", which takes no commands");
            return;
        }
        Channel channel = h.channel();
        channel.eventLoop().execute(() -> write(channel, device, text, frame,
                new Pending(device, props.getCorrelationId(), props.getReplyTo(), timeout)));
    }

    /** On the connection's event loop: one command at a time, written before the replies still queued behind it. */
    private void write(Channel channel, String device, String text, byte[] frame, Pending p) {
        if (!channel.isActive()) {
            reply(p.correlationId, p.replyTo, Status.OFFLINE, DeviceCommandClient.offline(device));
            return;
        }
        if (!channel.attr(PENDING).compareAndSet(null, p)) {
            reply(p.correlationId, p.replyTo, Status.BUSY, "device " + device
                    + " has a command in flight; its connection carries one at a time, send again once it is answered");
            return;
        }
        p.timer = channel.eventLoop().schedule(() -> p.end(channel, Status.TIMEOUT,
                DeviceCommandClient.timedOut(device, p.timeout)), p.timeout.toMillis(), TimeUnit.MILLISECONDS);
        // written from the tracker's place in the pipeline: past the reply sequencer and encoder (it is no reply
        // to a frame) and through everything nearer the socket (TLS included)
        ChannelHandlerContext ctx = channel.pipeline().context(ConnectionTracker.class);
        (ctx != null ? ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)) : channel.writeAndFlush(Unpooled.wrappedBuffer(frame)))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        p.end(channel, Status.CLOSED, "the command could not be written to " + device + ": " + f.cause());
                    }
                });
        LOG.info("[{}] command to {}: {}", channel.remoteAddress(), device, text);
    }

    private synchronized void reply(String correlationId, String replyTo, Status status, String text) {
        if (replyTo == null || amqp == null || !amqp.isOpen()) {
            return;
        }
        try {
            amqp.basicPublish("", replyTo, new AMQP.BasicProperties.Builder().correlationId(correlationId).contentType("text/plain")
                    .headers(Map.of(DeviceCommandClient.STATUS_HEADER, status.name())).build(), text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("answer to a command ({}) not sent: {}", status, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (amqp != null && amqp.isOpen()) {
            try {
                amqp.close();
            } catch (Exception e) {
                LOG.debug("closing the command channel: {}", e.toString());
            }
        }
    }
}
