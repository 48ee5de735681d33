package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The broker-first publish step holds no thread while the broker confirms, and fails the exchange on a refusal. */
class PublishConfirmedProcessorTest {

    /** Publishes nothing: each publish gets a future the test completes, as the broker's confirm would. */
    static final class PendingPublisher extends ConfirmedPublisher {
        final List<CompletableFuture<Void>> confirms = new ArrayList<>();
        final List<String> targets = new ArrayList<>();
        final List<Object> orderKeys = new ArrayList<>();

        PendingPublisher() {
            super(new CachingConnectionFactory("127.0.0.1", 1), 1000); // never connects
        }

        @Override
        public CompletableFuture<Void> publishAsync(byte[] body, String exchangeName, String routingKey, Object orderKey) {
            orderKeys.add(orderKey);
            targets.add(exchangeName + "/" + routingKey + ":" + new String(body));
            CompletableFuture<Void> confirm = new CompletableFuture<>();
            confirms.add(confirm);
            return confirm;
        }
    }

    final PendingPublisher publisher = new PendingPublisher();
    /** continuations wait here until the test runs them */
    final ConcurrentLinkedQueue<Runnable> continuations = new ConcurrentLinkedQueue<>();
    final Executor executor = continuations::add;
    final PublishConfirmedProcessor step = new PublishConfirmedProcessor(publisher, "fleetcore", "fleetcore.ingest", executor,
            this::confirmed);
    final List<Long> confirmTimes = new ArrayList<>();

    void confirmed(long nanos) {
        confirmTimes.add(nanos);
    }
    final List<Boolean> done = new ArrayList<>();

    Exchange exchange(String body) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(body.getBytes());
        return e;
    }

    @Test
    void manyPublishesWaitForTheirConfirmsAtOnceWithoutAThreadEach() {
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Exchange e = exchange("env-" + i);
            exchanges.add(e);
            assertThat(step.process(e, done::add)).as("asynchronous").isFalse();
        }
        assertThat(publisher.targets).hasSize(100).first().isEqualTo("fleetcore/fleetcore.ingest:env-0");
        assertThat(done).as("nothing continues before its confirm").isEmpty();

        publisher.confirms.get(7).complete(null);
        assertThat(done).as("the continuation is handed to the executor, not run on the confirm's thread").isEmpty();
        continuations.poll().run();
        assertThat(done).containsExactly(false);
        assertThat(exchanges.get(7).getException()).isNull();
        assertThat(confirmTimes).as("the confirm's latency is measured").hasSize(1).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void aRefusedPublishFailsTheExchangeSoTheDeviceGetsNoAck() {
        Exchange returned = exchange("returned");
        Exchange unconfirmed = exchange("late");
        step.process(returned, done::add);
        step.process(unconfirmed, done::add);
        publisher.confirms.get(0).completeExceptionally(new ConfirmedPublisher.PublishFailedException(
                "no queue took the message: exchange fleetcore, routing key fleetcore.ingest returned 312 NO_ROUTE", null));
        publisher.confirms.get(1).completeExceptionally(new java.util.concurrent.TimeoutException("Message not sent within 1000 millis"));
        continuations.forEach(Runnable::run);
        assertThat(done).containsExactly(false, false);
        assertThat(returned.getException()).hasMessageContaining("no queue took the message");
        assertThat(unconfirmed.getException()).hasMessageContaining("not sent within");
    }

    @Test
    void theDeviceIsTheOrderKeySoItsMessagesTakeOneChannel() {
        Exchange fromDevice = exchange("env-a");
        fromDevice.getMessage().setHeader(io.fleetcore.model.ExchangeNames.DEVICE, "356307042441013");
        step.process(fromDevice, done::add);
        step.process(exchange("env-b"), done::add);
        assertThat(publisher.orderKeys).containsExactly("356307042441013", null);
    }

    @Test
    void aBodyThatIsNoMessageFailsAtOnce() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        assertThat(step.process(e, done::add)).isTrue();
        assertThat(done).containsExactly(true);
        assertThat(e.getException()).isNotNull();
        assertThat(publisher.targets).isEmpty();
    }
}
