package io.fleetcore;

import io.fleetcore.broker.BackOff;
import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.broker.BuildRetryEnvelope;
import io.fleetcore.broker.CountRecords;
import io.fleetcore.broker.DatabaseBackOff;
import io.fleetcore.broker.DeadLetterExecutor;
import io.fleetcore.broker.DeliveryAcknowledgement;
import io.fleetcore.broker.EmbeddedBroker;
import io.fleetcore.broker.PublishFeedItems;
import io.fleetcore.broker.ReadRetryEnvelope;
import io.fleetcore.broker.RecordRetryFailure;
import io.fleetcore.broker.StorageUnavailable;
import io.fleetcore.check.DatabaseHealthCheck;
import io.fleetcore.check.GatewaysHealthCheck;
import io.fleetcore.check.AlertPublisher;
import io.fleetcore.check.Checks;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.gateway.AdmitDeviceProcessor;
import io.fleetcore.gateway.AdmitLogin;
import io.fleetcore.gateway.DecodeFrame;
import io.fleetcore.gateway.GatewayTls;
import io.fleetcore.gateway.Protocols;
import io.fleetcore.gateway.DatagramReplyEncoder;
import io.fleetcore.gateway.ReplyToDevice;
import io.fleetcore.feed.FeedComponent;
import io.fleetcore.feed.FeedHealthChecks;
import io.fleetcore.feed.FeedMeters;
import io.fleetcore.gateway.BackPressure;
import io.fleetcore.gateway.ConnectionLimit;
import io.fleetcore.gateway.FirstFrameTimeout;
import io.fleetcore.gateway.RefusalLimit;
import io.fleetcore.gateway.RefuseOversizedFrame;
import io.fleetcore.gateway.RequireAdmissionProcessor;
import io.fleetcore.gateway.RequireOpenConnection;
import io.fleetcore.gateway.ConnectionTracker;
import io.fleetcore.gateway.GatewayConnections;
import io.fleetcore.gateway.IdleCloseHandler;
import io.fleetcore.gateway.KeepUnstorableFrameProcessor;
import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.gateway.PerConnection;
import io.fleetcore.gateway.RejectFrameProcessor;
import io.fleetcore.gateway.ReplyEncoder;
import io.fleetcore.gateway.ReplySequencer;
import io.fleetcore.gateway.DeviceAdmission;
import io.fleetcore.gateway.DisabledDevices;
import io.fleetcore.api.ApiBeans;
import io.fleetcore.obd.NormalizeObdProcessor;
import io.fleetcore.obd.ObdNormalizer;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.store.Database;
import io.fleetcore.store.InsertMethod;
import io.fleetcore.store.RecordStore;
import io.fleetcore.store.RejectedFrames;
import io.fleetcore.store.StoreRecordsProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything fleetcore runs besides Camel itself: PostgreSQL (external or embedded), the group-commit
 * writer, the message broker connection (RabbitMQ or the embedded broker), and the beans the route files refer to by name. Built before Camel starts, closed after Camel
 * has drained its in-flight exchanges.
 */
public final class FleetcoreRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetcoreRuntime.class);

    /** Route folders every topology loads, inside or beside its route folder. */
    private static final String[] SHARED_FOLDERS = {"shared", "api"};

    private final FleetcoreConfig config;
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private Database database;
    private RecordStore recordStore;
    private FleetcoreMetrics metrics;
    private final GatewayConnections connections = new GatewayConnections();
    private BrokerConnection broker;

    private FleetcoreRuntime(FleetcoreConfig config) {
        this.config = config;
    }

    public static FleetcoreRuntime start(FleetcoreConfig config) {
        FleetcoreRuntime runtime = new FleetcoreRuntime(config);
        try {
            runtime.startServices();
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void startServices() {
        io.fleetcore.config.ManagementUsers.ensure(config);
        metrics = new FleetcoreMetrics();
        // the embedded broker boots while the embedded database starts; both are ready before the pool opens
        CompletableFuture<EmbeddedBroker> brokerBoot = BrokerConnection.bootEmbedded(config);
        try {
            database = register(Database.start(config, () -> booted(brokerBoot)));
        } catch (RuntimeException e) {
            brokerBoot.thenAccept(booted -> {
                if (booted != null) {
                    booted.close();
                }
            });
            throw e;
        }
        EmbeddedBroker bootedBroker = booted(brokerBoot);
        if (bootedBroker != null) {
            register(bootedBroker); // closed by the broker connection too; closing twice does nothing
        }
        if (database.dataSource() instanceof com.zaxxer.hikari.HikariDataSource hikari) {
            try {
                hikari.setMetricRegistry(metrics.registry()); // hikaricp_connections_* on /observe/metrics
            } catch (RuntimeException e) {
                LOG.warn("connection pool metrics not available: {}", e.getMessage());
            }
        }
        recordStore = register(new RecordStore(database.dataSource(),
                config.getInt("fleetcore.store.batch-size"),
                config.getDuration("fleetcore.store.batch-wait"),
                config.getInt("fleetcore.store.queue-capacity"),
                config.getInt("fleetcore.store.writers")));
        recordStore.onStored(metrics::recordsStored);
        recordStore.onStage((stage, nanos) -> metrics.stage(stage.label(), nanos));
        recordStore.rememberDevices(config.getInt("fleetcore.devices.cache-size"));
        // refusals and logins keep their own small pool: a flood of junk never waits for (or holds) the writer's
        javax.sql.DataSource refusalPool = database.newPool(config, "fleetcore-refusals", config.getInt("fleetcore.db.refusal-pool-size"));
        RejectedFrames rejectedFrames = new RejectedFrames(refusalPool);
        // devices an operator disabled (API PATCH): every gateway refuses their next frame or login
        DisabledDevices disabledDevices = register(new DisabledDevices(database.dataSource(),
                config.getDuration("fleetcore.devices.refresh")));
        DeviceAdmission admission = new DeviceAdmission(refusalPool, disabledDevices,
                DeviceAdmission.mode(config.get("fleetcore.unknown-devices")),
                config.getInt("fleetcore.devices.cache-size"), config.getDuration("fleetcore.devices.cache-ttl"));
        Duration idle = config.getDuration("fleetcore.idle-timeout");
        // the device protocols: each is its folder under protocol/, found there by its Provider class, and one
        // templatedRoute of the gateway template (routes/shared/gateway-template.camel.yaml), which finds its beans
        // by the protocol's name
        Protocols protocols = Protocols.discover(config);

        recordStore.raiseEvents(protocols); // alarm IOs and the like: device_events and events, in the record's transaction
        beans.put("dataSource", database.dataSource());
        beans.put("fleetcoreConfig", config);
        beans.put("fleetcoreMetrics", metrics);
        beans.put("recordStore", recordStore);
        // exchanges continue (ACK, reply) on a pool once their batch committed, not one by one on the ack thread
        int ackThreads = config.getInt("fleetcore.store.ack-threads");
        java.util.concurrent.Executor storeContinuations = Runnable::run;
        if (ackThreads > 0) {
            storeContinuations = daemonPool("fleetcore-store-continue", ackThreads);
        }
        beans.put("storeRecords", new StoreRecordsProcessor(recordStore, Duration.ofSeconds(10), storeContinuations));
        RejectFrameProcessor rejectFrame = new RejectFrameProcessor(rejectedFrames, metrics,
                config.getDuration("fleetcore.rejected.repeat-window"), config.getInt("fleetcore.rejected.remembered"));
        beans.put("rejectFrame", rejectFrame);
        beans.put("replyEncoder", new ReplyEncoder());
        long maxQueuedBytes = config.getLong("fleetcore.gateway.max-queued-bytes");
        beans.put("replySequencer", new PerConnection(() -> new ReplySequencer(maxQueuedBytes)));
        // limits every gateway shares: connections (total, per address), time to the first frame, oversized input
        ConnectionLimit connectionLimit = new ConnectionLimit(config.getInt("fleetcore.gateway.max-connections"),
                config.getInt("fleetcore.gateway.max-connections-per-ip"), metrics);
        beans.put("connectionLimit", new PerConnection(() -> connectionLimit));
        Duration firstFrame = config.getDuration("fleetcore.gateway.first-frame-timeout");
        beans.put("firstFrameTimeout", new PerConnection(() -> new FirstFrameTimeout(firstFrame)));
        beans.put("refuseOversizedFrame", new RefuseOversizedFrame());
        beans.put("admitDevice", new AdmitDeviceProcessor(protocols, admission, config.getInt("fleetcore.json.max-new-devices-per-connection")));
        beans.put("refusalLimit", new RefusalLimit(config.getInt("fleetcore.json.max-refused-in-row")));
        beans.put("requireAdmission", new RequireAdmissionProcessor(protocols));
        beans.put("protocols", protocols);
        beans.put("decodeFrame", new DecodeFrame(protocols, metrics));
        beans.put("admitLogin", new AdmitLogin(admission));
        beans.put("replyToDevice", new ReplyToDevice(protocols));
        // Teltonika over UDP (routes/shared/teltonika-udp-gateway.camel.yaml): its replies leave as datagrams
        beans.put("datagramReplyEncoder", new DatagramReplyEncoder());

        // operate: one Prometheus registry for fleetcore's and Camel's meters (camel-micrometer-prometheus
        // looks it up by this name); database readiness; per-connection counts, ACK latency and log lines
        beans.put("metricsRegistry", metrics.registry());
        beans.put("databaseHealthCheck", new DatabaseHealthCheck(database.dataSource()));
        beans.put("gatewayConnections", connections);
        beans.put("gatewaysHealthCheck", new GatewaysHealthCheck(connections));
        for (DeviceProtocol protocol : protocols.all()) {
            String name = protocol.name();
            beans.put(name + "FrameDecoder", new PerConnection(protocol::newFrameDecoder));
            if (protocol.datagrams()) {
                GatewayTls.refuseForDatagrams(name, config);
                continue;
            }
            beans.put(name + "Tls", GatewayTls.handler(name, config));
            beans.put(name + "IdleTimeout", new PerConnection(() -> new IdleCloseHandler(name, idle)));
            beans.put(name + "Connections", new PerConnection(() -> new ConnectionTracker(name, metrics, connections)));
        }

        // ---- broker: dead-letter channel, redelivery, parking (routes dead-letter*, redelivery)
        broker = register(bootedBroker != null ? BrokerConnection.start(config, bootedBroker)
                : StartupTimes.time(StartupTimes.BROKER, () -> BrokerConnection.start(config)));
        BackOff backOff = new BackOff(Duration.ofMillis(config.getLong("fleetcore.retry.initial-delay-ms")),
                Duration.ofMillis(config.getLong("fleetcore.retry.max-delay-ms")));
        beans.put("amqpConnectionFactory", broker.connectionFactory());
        ExecutorService deadLetterExecutor = DeadLetterExecutor.create(config.getInt("fleetcore.dead-letter.threads"),
                config.getInt("fleetcore.dead-letter.queue-capacity"));
        register(deadLetterExecutor::shutdown);
        beans.put("deadLetterExecutor", deadLetterExecutor);
        beans.put("requireOpenConnection", new RequireOpenConnection());
        // device commands (Codec 12): this instance's command queue, bound per connected device; the API's sender
        io.fleetcore.gateway.DeviceCommandRelay commandRelay = register(new io.fleetcore.gateway.DeviceCommandRelay(protocols,
                broker.connectionFactory(), config.get("fleetcore.commands.exchange"), config.getDuration("fleetcore.commands.timeout")));
        beans.put("deviceCommandRelay", commandRelay);
        broker.afterDeclare(commandRelay::ensureOpen);
        beans.put("readCommand", io.fleetcore.api.SendDeviceCommand.read(config.getDuration("fleetcore.commands.timeout"),
                config.getDuration("fleetcore.commands.max-timeout")));
        beans.put("sendDeviceCommand", io.fleetcore.api.SendDeviceCommand.send(
                new io.fleetcore.broker.DeviceCommandClient(config.get("fleetcore.commands.exchange")),
                () -> broker.connectionFactory().createConnection().getDelegate(), config.getInt("fleetcore.commands.max-waiting")));
        beans.put("brokerTopologyHealthCheck", new io.fleetcore.check.BrokerTopologyHealthCheck(broker));
        // every publish of the route files: persistent, mandatory, confirmed and routed, or the exchange fails
        io.fleetcore.broker.ConfirmedPublisher confirmedPublisher = new io.fleetcore.broker.ConfirmedPublisher(
                broker.connectionFactory(), config.getLong("fleetcore.amqp.confirm-timeout-ms"),
                config.getInt("fleetcore.amqp.publish-channels")).connect();
        beans.put("confirmedPublisher", confirmedPublisher);
        beans.put("buildRetryEnvelope", new BuildRetryEnvelope(Clock.systemUTC()));
        beans.put("readRetryEnvelope", new ReadRetryEnvelope());
        beans.put("recordRetryFailure", new RecordRetryFailure(config.getInt("fleetcore.max-attempts"), backOff));
        beans.put("storageUnavailable", new StorageUnavailable());
        beans.put("databaseBackOff", new DatabaseBackOff(backOff));
        beans.put("ackDelivery", DeliveryAcknowledgement.ack());
        beans.put("requeueDelivery", DeliveryAcknowledgement.requeue());
        beans.put("countDeadLettered", new CountRecords(metrics::recordsDeadLettered));
        beans.put("countRedelivered", new CountRecords(metrics::recordsRedelivered));
        beans.put("countParked", new CountRecords(metrics::recordsParked));
        // broker-first topology (routes/broker-first): publish on accept, store from the ingest queue
        beans.put("buildIngestEnvelope", new io.fleetcore.broker.BuildIngestEnvelope());
        beans.put("markPublishedDurable", new io.fleetcore.broker.MarkPublishedDurable());
        // the ingest publish waits for its confirm on no thread; exchanges continue on this pool once confirmed
        ExecutorService confirmed = daemonPool("fleetcore-publish-confirmed", Math.max(2, Runtime.getRuntime().availableProcessors()));
        beans.put("publishIngest", new io.fleetcore.broker.PublishConfirmedProcessor(confirmedPublisher,
                config.get("fleetcore.amqp.exchange"), config.get("fleetcore.amqp.ingest-queue"), confirmed,
                nanos -> metrics.stage("confirm", nanos)));

        // the OBD-II step every gateway shares (raw J1979 responses; a protocol names its own OBD ids)
        beans.put("normalizeObd", new NormalizeObdProcessor(new ObdNormalizer()));
        beans.put("deviceAdmission", admission);
        beans.put("disabledDevices", disabledDevices);

        // speed: how the group commit writes, and Netty back-pressure while its queue is full
        recordStore.useInsertMethod(InsertMethod.parse(config.get("fleetcore.store.insert-method")));
        BackPressure backPressure = new BackPressure(recordStore::saturated);
        recordStore.onRoom(backPressure::relieve);
        beans.put("backPressure", backPressure);
        beans.put("gatewayBackPressure", new PerConnection(() -> backPressure));

        // partitions ahead and retention (routes/shared/retention.camel.yaml)
        beans.put("retention", io.fleetcore.store.Retention.create(config, database.dataSource()));

        // read API and fleet page (routes/api): REST on camel-main's HTTP server, reading schema api
        ApiBeans.create(config, database, metrics.meterRegistry(), protocols, beans, this::register);

        // periodic checks (routes/quality.camel.yaml, routes/heartbeat.camel.yaml): quality, integrity, heartbeats
        Checks.create(config, database.dataSource(), metrics.meterRegistry(), beans, this::register);
        // the queues' policies are checked on every heartbeat and right after every topology declare
        io.fleetcore.check.Heartbeat heartbeat = (io.fleetcore.check.Heartbeat) beans.get("heartbeat");
        broker.afterDeclare(() -> heartbeat.probeNow(io.fleetcore.check.QueuePolicyProbe.NAME));
        // content that can never be stored, on a protocol without a refusal: kept, counted, alerted, ACKed
        beans.put("keepUnstorableFrame", new KeepUnstorableFrameProcessor(protocols, rejectFrame, rejectedFrames, metrics,
                (AlertPublisher) beans.get("alertPublisher")));

        // feeds (routes/shared/feed-*.camel.yaml, examples in routes/feeds): the fleetcore-feed component, its
        // meters and health checks, and the RabbitMQ destination of the default feeds
        FeedMeters feedMeters = new FeedMeters(metrics.meterRegistry(), config.getDuration("fleetcore.feed.lag-refresh"),
                config.getDuration("fleetcore.feed.stuck-after"), Clock.systemUTC());
        beans.put("fleetcore-feed", new FeedComponent(database.dataSource(), feedMeters));
        beans.put("feedHealthChecks", new FeedHealthChecks(feedMeters));
        beans.put("publishFeedItems", new PublishFeedItems(broker.connectionFactory(),
                config.getLong("fleetcore.amqp.confirm-timeout-ms"),
                List.of(config.get("fleetcore.feed.records.exchange"), config.get("fleetcore.feed.events.exchange"))));
    }

    /** {@code threads} daemon threads named {@code name-N}; shut down with the runtime. */
    private ExecutorService daemonPool(String name, int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        register(pool::shutdown);
        return pool;
    }

    /** The embedded broker booted beside the database ({@code null}: none), or why it could not start. */
    private static EmbeddedBroker booted(
            CompletableFuture<EmbeddedBroker> boot) {
        try {
            return boot.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private <T extends AutoCloseable> T register(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    /** Hands every bean to a registry (Camel main's {@code bind}, a test registry). */
    public void bindTo(BiConsumer<String, Object> registry) {
        beans.forEach(registry);
    }

    public Map<String, Object> beans() {
        return Map.copyOf(beans);
    }

    public Database database() {
        return database;
    }

    public RecordStore recordStore() {
        return recordStore;
    }

    /** Every gateway's device connections; drained on shutdown. */
    public GatewayConnections connections() {
        return connections;
    }

    public BrokerConnection broker() {
        return broker;
    }

    public FleetcoreMetrics metrics() {
        return metrics;
    }

    public FleetcoreConfig config() {
        return config;
    }

    /**
     * Properties for Camel: every resolved fleetcore key (so route placeholders see the same values) plus
     * where the route files are.
     */
    public Properties camelProperties() {
        Properties p = config.asProperties();
        p.remove("fleetcore.api.keys"); // a secret: Camel has no use for it
        p.stringPropertyNames().stream().filter(k -> k.endsWith(".tls.keystore-password")).forEach(p::remove); // secrets too
        p.setProperty("camel.main.routes-include-pattern", routesIncludePattern(config.get("fleetcore.routes")));
        p.setProperty("fleetcore.alert.webhook-enabled", String.valueOf(!config.get("fleetcore.alert.webhook", "").isBlank()));
        String exclude = config.get("fleetcore.routes-exclude", "");
        if (!exclude.isEmpty()) {
            p.setProperty("camel.main.routes-exclude-pattern", exclude);
        }
        return p;
    }

    /**
     * {@code file:} patterns for the route folder when it exists (the copy inside the jar otherwise), plus
     * the folders every topology shares, each inside the route folder or beside it: {@code shared} (the
     * ingest path) and {@code api} (the read API; {@code routes/broker-first} shares {@code routes/shared}
     * and {@code routes/api}).
     */
    static String routesIncludePattern(String folder) {
        Path dir = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            LOG.warn("route folder {} not found in {}; using the route files packaged in the jar", folder,
                    Path.of("").toAbsolutePath());
            return "classpath:routes/*.camel.yaml,classpath:routes/*.xml,classpath:routes/shared/*.camel.yaml,classpath:routes/shared/*.xml,"
                    + "classpath:routes/api/*.camel.yaml";
        }
        StringBuilder pattern = new StringBuilder(filePatterns(dir));
        for (String common : SHARED_FOLDERS) {
            Path inside = dir.resolve(common);
            Path beside = dir.getParent() == null ? null : dir.getParent().resolve(common);
            if (Files.isDirectory(inside)) {
                pattern.append(',').append(filePatterns(inside));
            } else if (beside != null && Files.isDirectory(beside)) {
                pattern.append(',').append(filePatterns(beside));
            }
        }
        return pattern.toString();
    }

    private static String filePatterns(Path dir) {
        String base = "file:" + dir.toString().replace('\\', '/');
        return base + "/*.camel.yaml," + base + "/*.xml";
    }

    @Override
    public synchronized void close() {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
