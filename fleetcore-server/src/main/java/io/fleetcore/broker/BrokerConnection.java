package io.fleetcore.broker;

import com.rabbitmq.client.Channel;
import io.fleetcore.config.FleetcoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * fleetcore's one connection to the message broker: RabbitMQ at {@code fleetcore.amqp.uri}, or the embedded
 * broker when that is empty. The Spring AMQP factory awaits publisher confirms (CORRELATED) and declares the
 * {@link BrokerTopology} whenever it (re)connects, so a broker restart heals by itself. A declare the broker
 * refuses (a queue declared elsewhere with other arguments, an exchange of another type) is not only logged:
 * {@link #topologyProblem()} reports it (readiness goes DOWN) and the declare is retried every
 * {@code fleetcore.amqp.declare-retry-interval} until it succeeds.
 */
public final class BrokerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    private final EmbeddedBroker embedded;
    private final CachingConnectionFactory factory;
    private final BrokerTopology topology;
    /** Why the last declare failed; null once the broker took the whole topology. */
    private final AtomicReference<String> topologyProblem = new AtomicReference<>();
    /** Run after every successful declare (e.g. the queue policy check), on the declare thread. */
    private final List<Runnable> afterDeclare = new CopyOnWriteArrayList<>();
    private volatile boolean declared;
    private final ScheduledExecutorService redeclare = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleetcore-broker-declare");
        t.setDaemon(true);
        return t;
    });

    private BrokerConnection(EmbeddedBroker embedded, CachingConnectionFactory factory, BrokerTopology topology) {
        this.embedded = embedded;
        this.factory = factory;
        this.topology = topology;
    }

    public static BrokerTopology topology(FleetcoreConfig config) {
        return new BrokerTopology(config.get("fleetcore.amqp.exchange"), config.get("fleetcore.amqp.retry-queue"),
                config.get("fleetcore.amqp.parked-queue"), config.get("fleetcore.amqp.ingest-queue", null),
                BrokerTopology.QueueType.parse(config.get("fleetcore.amqp.queue-type", "classic")),
                config.getLong("fleetcore.amqp.delivery-limit"));
    }

    /** Connects (starting the embedded broker first when no URI is configured) and declares the topology. */
    public static BrokerConnection start(FleetcoreConfig config) {
        return start(config, null);
    }

    /**
     * Connects to {@code started}, an embedded broker this process already booted (see {@link #bootEmbedded}), or
     * when it is {@code null} as {@link #start(FleetcoreConfig)} does.
     */
    public static BrokerConnection start(FleetcoreConfig config, EmbeddedBroker started) {
        EmbeddedBroker embedded = started;
        String uri = config.amqpUri();
        if (usesEmbedded(config)) {
            if (embedded == null) {
                embedded = startEmbedded(config);
            }
            uri = embedded.uri();
        }
        try {
            BrokerTopology topology = topology(config);
            CachingConnectionFactory factory = factory(uri, config.getInt("fleetcore.amqp.connect-timeout-ms"));
            String addresses = config.get("fleetcore.amqp.addresses", "");
            if (embedded == null && !addresses.isBlank()) {
                // a RabbitMQ cluster: connect to the first node that answers, in order; reconnects fail over
                factory.setAddresses(addresses);
            }
            BrokerConnection connection = new BrokerConnection(embedded, factory, topology);
            factory.addConnectionListener(new ConnectionListener() {
                @Override
                public void onCreate(Connection created) {
                    connection.declare(created);
                }
            });
            connection.declareNow();
            long retry = config.getDuration("fleetcore.amqp.declare-retry-interval").toMillis();
            connection.redeclare.scheduleWithFixedDelay(connection::retryDeclare, retry, retry, TimeUnit.MILLISECONDS);
            return connection;
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Boots the embedded broker on a thread of its own when no URI is configured (else completes with
     * {@code null}), so that it starts while the embedded PostgreSQL does: the two share nothing.
     */
    public static java.util.concurrent.CompletableFuture<EmbeddedBroker> bootEmbedded(FleetcoreConfig config) {
        java.util.concurrent.CompletableFuture<EmbeddedBroker> boot = new java.util.concurrent.CompletableFuture<>();
        if (!usesEmbedded(config)) {
            boot.complete(null); // start() connects to RabbitMQ
            return boot;
        }
        Thread thread = new Thread(() -> {
            try {
                boot.complete(io.fleetcore.StartupTimes.time(io.fleetcore.StartupTimes.BROKER, () -> startEmbedded(config)));
            } catch (RuntimeException | Error e) {
                boot.completeExceptionally(e);
            }
        }, "fleetcore-embedded-broker-boot");
        thread.setDaemon(true);
        thread.start();
        return boot;
    }

    /**
     * Whether this configuration runs on the embedded broker (no URI configured); refuses quorum queues there,
     * which only RabbitMQ has.
     */
    static boolean usesEmbedded(FleetcoreConfig config) {
        if (!config.amqpUri().isEmpty()) {
            return false;
        }
        if (topology(config).queueType() == BrokerTopology.QueueType.QUORUM) {
            throw new IllegalStateException("fleetcore.amqp.queue-type=quorum (FLEETCORE_AMQP_QUEUE_TYPE) needs RabbitMQ:"
                    + " set FLEETCORE_AMQP_URI; the embedded broker has classic queues only");
        }
        return true;
    }

    /** The embedded broker of this data dir, on the configured local port. */
    public static EmbeddedBroker startEmbedded(FleetcoreConfig config) {
        Path dir = config.dataDir().resolve("broker");
        return EmbeddedBroker.start(dir, "127.0.0.1", config.getInt("fleetcore.amqp.embedded-port"));
    }

    /** A caching factory with publisher confirms (CORRELATED) and returns, for {@code amqp://user:pass@host:port/vhost}. */
    public static CachingConnectionFactory factory(String uri, int connectTimeoutMillis) {
        URI parsed = URI.create(uri);
        CachingConnectionFactory f = new CachingConnectionFactory(parsed);
        String path = parsed.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            f.setVirtualHost("/"); // amqp://host:port/ means the default virtual host, not one named ""
        }
        f.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        f.setPublisherReturns(true);
        f.setConnectionTimeout(connectTimeoutMillis);
        f.setChannelCacheSize(25);
        f.setConnectionNameStrategy(cf -> "fleetcore");
        return f;
    }

    private void declareNow() {
        try {
            factory.createConnection().close(); // the listener declares on connect
        } catch (RuntimeException e) {
            // not fatal: devices are ACKed after commit while the broker is away; declared on reconnect
            LOG.warn("message broker not reachable at {}:{} yet ({}); dead-lettering fails until it is",
                    factory.getHost(), factory.getPort(), e.getMessage());
        }
    }

    public CachingConnectionFactory connectionFactory() {
        return factory;
    }

    public BrokerTopology topology() {
        return topology;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Closes the connections first, then the embedded broker. */
    @Override
    public void close() {
        redeclare.shutdownNow();
        try {
            factory.destroy();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Runs {@code task} after every successful declare of the topology (at once when it was declared already),
     * on the declare thread, never on the connection's: e.g. checking the queues' policies on the broker.
     */
    public void afterDeclare(Runnable task) {
        afterDeclare.add(task);
        if (declared && topologyProblem.get() == null) {
            runAfterDeclare(task);
        }
    }

    private void runAfterDeclare(Runnable task) {
        try {
            redeclare.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("after the topology declare: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // shutting down
        }
    }

    /** Declares the topology on {@code connection}; records the outcome for readiness. */
    private void declare(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            topology.declare(channel);
            declared = true;
            afterDeclare.forEach(this::runAfterDeclare);
            if (topologyProblem.getAndSet(null) != null) {
                LOG.info("broker topology declared after all: exchange {}, queues {} and {}", topology.exchange(),
                        topology.retryQueue(), topology.parkedQueue());
            } else {
                LOG.info("broker topology declared: exchange {}, {} queues {} and {}", topology.exchange(),
                        topology.queueType().name().toLowerCase(java.util.Locale.ROOT), topology.retryQueue(), topology.parkedQueue());
            }
        } catch (Exception e) {
            String problem = "declaring exchange " + topology.exchange() + " and queues " + topology.retryQueue() + ", "
                    + topology.parkedQueue() + " failed: " + rootMessage(e);
            topologyProblem.set(problem);
            LOG.error("{}; not ready, retrying", problem);
        }
    }

    /** While the last declare failed: declare again on the current connection (a broker away is no news). */
    private void retryDeclare() {
        if (topologyProblem.get() == null) {
            return;
        }
        try {
            declare(factory.createConnection());
        } catch (RuntimeException e) {
            LOG.debug("broker not reachable for the topology declare: {}", e.getMessage());
        }
    }

    /** Why the broker refused the topology, or empty once it is declared (or the broker was not reached yet). */
    public Optional<String> topologyProblem() {
        return Optional.ofNullable(topologyProblem.get());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
