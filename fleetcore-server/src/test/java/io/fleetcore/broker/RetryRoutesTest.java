package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.gateway.Protocols;
import io.fleetcore.gateway.ReplyToDevice;
import io.fleetcore.gateway.RequireOpenConnection;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.json.JsonProtocol;
import io.fleetcore.protocol.json.JsonProtocolDecoder;
import io.fleetcore.store.RecordRefusedException;
import io.fleetcore.store.StoreRecordsProcessor;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * The real route files of the failure path (ingest, dead-letter channel, dead-letter, redelivery), with the
 * database and the broker replaced at their edges: a store step that fails on demand, mock endpoints for the
 * publishes, recorded acks. Covers every path an exchange can take.
 */
class RetryRoutesTest {

    static final int MAX_ATTEMPTS = 3;
    /** Route configurations first, as camel-main loads them. */
    static final List<String> ROUTE_FILES = List.of("dead-letter-channel.camel.yaml", "redelivery.camel.yaml",
            "ingest.camel.yaml", "dead-letter.camel.yaml");

    /** What the database does with the next store: null = commit. */
    final AtomicReference<Exception> storeOutcome = new AtomicReference<>();
    final List<List<DeviceRecord>> stored = new CopyOnWriteArrayList<>();
    final List<String> settlements = new CopyOnWriteArrayList<>();
    CamelContext camel;
    ProducerTemplate template;
    MockEndpoint retryQueue;
    MockEndpoint parkedQueue;
    /** the dead-letter pool: one thread, one waiting exchange */
    final ThreadPoolExecutor deadLetterPool = DeadLetterExecutor.create(1, 1);

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        Properties props = FleetcoreConfig.load(Map.of(
                "fleetcore.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "fleetcore.retry.initial-delay-ms", "1",
                "fleetcore.retry.max-delay-ms", "5")).asProperties();
        camel.getPropertiesComponent().setInitialProperties(props);
        BackOff backOff = new BackOff(Duration.ofMillis(1), Duration.ofMillis(5));
        Processor store = exchange -> {
            Exception failure = storeOutcome.get();
            if (failure != null) {
                throw failure;
            }
            stored.add(StoreRecordsProcessor.records(exchange));
        };
        Map<String, Object> beans = Map.ofEntries(
                Map.entry("storeRecords", store),
                Map.entry("buildRetryEnvelope", new BuildRetryEnvelope(Clock.systemUTC())),
                Map.entry("readRetryEnvelope", new ReadRetryEnvelope()),
                Map.entry("recordRetryFailure", new RecordRetryFailure(MAX_ATTEMPTS, backOff)),
                Map.entry("storageUnavailable", new StorageUnavailable()),
                Map.entry("databaseBackOff", new DatabaseBackOff(backOff)),
                Map.entry("ackDelivery", (Processor) e -> settlements.add("ack")),
                Map.entry("requeueDelivery", (Processor) e -> settlements.add("requeue")),
                Map.entry("countDeadLettered", new CountRecords(n -> { })),
                Map.entry("countRedelivered", new CountRecords(n -> { })),
                Map.entry("countParked", new CountRecords(n -> { })),
                Map.entry("deadLetterExecutor", deadLetterPool),
                Map.entry("requireOpenConnection", new RequireOpenConnection()),
                Map.entry("markPublishedDurable", new MarkPublishedDurable()),
                Map.entry("replyToDevice", new ReplyToDevice(new Protocols(List.of(new JsonProtocol(new JsonProtocolDecoder(), 65536))))),
                Map.entry("confirmedPublisher", new FakePublisher(camel)));
        beans.forEach(camel.getRegistry()::bind);
        for (String file : ROUTE_FILES) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveResource(camel, "file:" + Path.of("routes", "shared", file).toAbsolutePath()));
        }
        // publishes land in mock endpoints named after their routing key; nothing connects to a broker
        AdviceWith.adviceWith(camel, "redelivery", a -> a.replaceFromWith("direct:retry-queue"));
        camel.start();
        template = camel.createProducerTemplate();
        retryQueue = camel.getEndpoint("mock:" + props.getProperty("fleetcore.amqp.retry-queue"), MockEndpoint.class);
        parkedQueue = camel.getEndpoint("mock:" + props.getProperty("fleetcore.amqp.parked-queue"), MockEndpoint.class);
    }

    /**
     * Stands in for {@link ConfirmedPublisher}: a publish with routing key K lands in mock:K; what the mock
     * throws is the publish's failure (no confirm, nack, returned).
     */
    public static final class FakePublisher {
        private final CamelContext camel;

        FakePublisher(CamelContext camel) {
            this.camel = camel;
        }

        public void publish(Exchange exchange, String exchangeName, String routingKey) throws Exception {
            camel.createProducerTemplate().send("mock:" + routingKey, exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                exchange.setException(null);
                throw failure;
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        deadLetterPool.shutdownNow();
    }

    static DeviceRecord record(String device) {
        return new DeviceRecord(device, Instant.parse("2020-02-05T12:18:28Z"), 37.98, 23.73, null, null, null, null,
                null, "4002", "json", Map.of(), Map.of());
    }

    /** What a gateway does: records to direct:ingest with its protocol in the property (the ACK is the protocol's). */
    Exchange ingest(String device) {
        return template.send("direct:ingest", e -> {
            e.setProperty(ExchangeNames.PROTOCOL, JsonProtocolDecoder.PROTOCOL);
            e.getMessage().setBody(List.of(record(device)));
        });
    }

    Exchange redeliver(RetryEnvelope envelope) {
        return redeliver(envelope.toJson());
    }

    Exchange redeliver(byte[] body) {
        return template.send("direct:retry-queue", e -> {
            e.getMessage().setHeader(SpringRabbitMQConstants.DELIVERY_TAG, 7L);
            e.getMessage().setBody(body);
        });
    }

    static RetryEnvelope envelope(Exchange published) {
        return RetryEnvelope.fromJson(published.getMessage().getBody(byte[].class));
    }

    @Test
    void aCommittedStoreIsNotDeadLettered() {
        Exchange e = ingest("ok-1");
        assertThat(e.isFailed()).isFalse();
        assertThat(stored).hasSize(1);
        assertThat(retryQueue.getReceivedCounter()).isZero();
    }

    @Test
    void aFailedStoreIsPublishedAsAPersistentEnvelopeAndOnlyThenAcked() {
        storeOutcome.set(new SQLTransientConnectionException("connection refused"));
        Exchange e = ingest("dev-1");

        assertThat(e.isFailed()).isFalse();
        assertThat(e.getMessage().getBody(String.class)).as("the gateway's ACK").isEqualTo("1");
        assertThat(retryQueue.getReceivedCounter()).isEqualTo(1);
        Exchange published = retryQueue.getReceivedExchanges().get(0);
        assertThat(published.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_MODE)).isEqualTo(MessageDeliveryMode.PERSISTENT);
        RetryEnvelope env = envelope(published);
        assertThat(env.device()).isEqualTo("dev-1");
        assertThat(env.records()).containsExactly(record("dev-1"));
        assertThat(env.attempts()).as("an unreachable database is not an attempt").isZero();
        assertThat(env.lastError()).contains("connection refused");
    }

    @Test
    void recordsOfAConnectionThatIsAlreadyClosedAreNotPublished() {
        storeOutcome.set(new SQLTransientConnectionException("connection refused"));
        EmbeddedChannel closed = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = closed.pipeline().firstContext();
        closed.close();
        Exchange e = template.send("direct:ingest", x -> {
            x.setProperty(ExchangeNames.PROTOCOL, JsonProtocolDecoder.PROTOCOL);
            x.getMessage().setHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ctx);
            x.getMessage().setBody(List.of(record("gone-1")));
        });
        assertThat(e.isFailed()).isTrue();
        assertThat(e.getException()).isInstanceOf(RequireOpenConnection.ConnectionClosedException.class);
        assertThat(retryQueue.getReceivedCounter()).isZero();
    }

    @Test
    void whenTheDeadLetterPoolIsFullTheExchangeFailsAtOnceWithoutAck() throws Exception {
        storeOutcome.set(new SQLTransientConnectionException("connection refused"));
        CountDownLatch brokerBlocked = new CountDownLatch(1);
        deadLetterPool.execute(() -> {
            try {
                brokerBlocked.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        CountDownLatch queuedRan = new CountDownLatch(1);
        deadLetterPool.execute(queuedRan::countDown); // takes the one place in its queue
        try {
            Exchange e = ingest("busy-1");
            assertThat(e.isFailed()).isTrue();
            assertThat(e.getException()).isInstanceOf(RejectedExecutionException.class);
            assertThat(e.getMessage().getBody()).isNotEqualTo("1");
            assertThat(retryQueue.getReceivedCounter()).isZero();
        } finally {
            brokerBlocked.countDown();
        }
        assertThat(queuedRan.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ingest("busy-2").getMessage().getBody(String.class)).as("room again").isEqualTo("1");
    }

    @Test
    void aRefusedStoreCountsAsTheFirstAttempt() {
        storeOutcome.set(new SQLException("violates check constraint \"no_poison\"", "23514"));
        ingest("poison-1");
        assertThat(envelope(retryQueue.getReceivedExchanges().get(0)).attempts()).isEqualTo(1);
    }

    /** Issue 13: data the database refuses is not ACKed through the retry queue (and parked later). */
    @Test
    void recordsRefusedForTheirDataAreNotDeadLetteredTheFailureGoesBackToTheGateway() {
        storeOutcome.set(new RecordRefusedException("22P05", "unsupported Unicode escape sequence", "nul-1",
                new SQLException("unsupported Unicode escape sequence", "22P05")));
        Exchange e = ingest("nul-1");
        assertThat(e.isFailed()).isTrue();
        assertThat(e.getException()).isInstanceOf(RecordRefusedException.class);
        assertThat(e.getMessage().getBody()).isNotEqualTo("1");
        assertThat(retryQueue.getReceivedCounter()).isZero();
    }

    @Test
    void anUnconfirmedPublishFailsTheExchangeSoTheDeviceGetsNoAck() {
        storeOutcome.set(new SQLTransientConnectionException("connection refused"));
        retryQueue.whenAnyExchangeReceived(e -> {
            throw new TimeoutException("Message not sent within 5000 millis");
        });
        Exchange e = ingest("dev-2");
        assertThat(e.isFailed()).isTrue();
        assertThat(e.getException()).hasMessageContaining("not sent within");
        assertThat(e.getMessage().getBody()).isNotEqualTo("1");
    }

    @Test
    void aRedeliveredEnvelopeIsStoredAndThenAcked() {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("redelivery").whenDone(1).create();
        redeliver(RetryEnvelope.firstFailure(List.of(record("dev-3")), new SQLTransientConnectionException("x"), false, Instant.EPOCH));
        assertThat(done.matches(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(stored).containsExactly(List.of(record("dev-3")));
        assertThat(settlements).containsExactly("ack");
        assertThat(retryQueue.getReceivedCounter()).as("not dead-lettered again").isZero();
    }

    @Test
    void whileTheDatabaseIsDownARedeliveryIsRequeuedWithoutCountingAnAttempt() {
        storeOutcome.set(new SQLTransientConnectionException("connection refused"));
        redeliver(RetryEnvelope.firstFailure(List.of(record("dev-4")), storeOutcome.get(), false, Instant.EPOCH));
        assertThat(settlements).containsExactly("requeue");
        assertThat(retryQueue.getReceivedCounter()).isZero();
        assertThat(parkedQueue.getReceivedCounter()).isZero();
    }

    @Test
    void aRefusedRedeliveryGoesBackWithOneMoreAttemptThenIsParkedWithItsError() {
        storeOutcome.set(new SQLException("violates check constraint \"no_poison\"", "23514"));
        RetryEnvelope env = RetryEnvelope.firstFailure(List.of(record("poison-1")), storeOutcome.get(), true, Instant.EPOCH);
        List<Integer> attempts = new ArrayList<>();
        for (int i = 0; i < 5 && parkedQueue.getReceivedCounter() == 0; i++) {
            int before = retryQueue.getReceivedCounter();
            redeliver(env);
            if (retryQueue.getReceivedCounter() > before) {
                env = envelope(retryQueue.getReceivedExchanges().get(before));
                attempts.add(env.attempts());
            }
        }
        assertThat(attempts).containsExactly(2);
        assertThat(parkedQueue.getReceivedCounter()).isEqualTo(1);
        RetryEnvelope parked = envelope(parkedQueue.getReceivedExchanges().get(0));
        assertThat(parked.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(parked.lastError()).contains("no_poison");
        assertThat(parked.firstFailure()).isEqualTo(Instant.EPOCH);
        assertThat(settlements).containsExactly("ack", "ack");
    }

    @Test
    void anUnreadableMessageIsParkedAsItIs() {
        redeliver("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(parkedQueue.getReceivedCounter()).isEqualTo(1);
        assertThat(parkedQueue.getReceivedExchanges().get(0).getMessage().getBody(String.class)).isEqualTo("garbage");
        assertThat(settlements).containsExactly("ack");
        assertThat(stored).isEmpty();
    }

    @Test
    void aFailedParkingPublishRequeuesInsteadOfAcking() {
        parkedQueue.whenAnyExchangeReceived(e -> {
            throw new TimeoutException("Message not sent within 5000 millis");
        });
        redeliver("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(settlements).containsExactly("requeue");
    }

    @Test
    void everyStepHasAnId() {
        for (Route route : camel.getRoutes()) {
            assertThat(route.getDescription()).as("description of " + route.getRouteId()).isNotBlank();
        }
        for (String routeId : List.of("ingest", "dead-letter", "redelivery")) {
            var model = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                    .getRouteDefinition(routeId);
            assertThat(model.getOutputs()).allSatisfy(n -> assertThat(((NamedNode) n).getId()).isNotBlank());
        }
    }
}
