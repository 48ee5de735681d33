package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The asynchronous publish of broker-first against the real broker: many messages in flight share one channel
 * (publishes are not serialized behind each other's confirms, and no channel is opened per message), each
 * completes from its own confirm, and a message no queue takes fails on its own without failing the others.
 */
class ConfirmedPublisherIT {

    static final int IN_FLIGHT = 2000;

    @Test
    void manyPublishesInFlightShareOneChannelAndEachCompletesFromItsConfirm() throws Exception {
        String queue = TestServices.unique("confirmed-publisher");
        CachingConnectionFactory factory = BrokerConnection.factory(TestServices.amqpUri(), 5000);
        AtomicInteger channelsOpened = new AtomicInteger();
        factory.addChannelListener((channel, transactional) -> channelsOpened.incrementAndGet());
        try (Connection admin = adminConnection(); Channel ch = admin.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ConfirmedPublisher publisher = new ConfirmedPublisher(factory, 10_000).connect();
            int openedBefore = channelsOpened.get() + publisher.channelsOpened();
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> confirms = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                confirms.add(publisher.publishAsync(("m-" + i).getBytes(StandardCharsets.UTF_8), "", queue));
            }
            long outstanding = confirms.stream().filter(f -> !f.isDone()).count();
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            int opened = channelsOpened.get() + publisher.channelsOpened() - openedBefore;
            System.out.printf("confirmed %d publishes in %d ms, %d outstanding after the loop, %d channels opened%n",
                    IN_FLIGHT, millis, outstanding, opened);
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).as("every message on the queue").isEqualTo(IN_FLIGHT);
            assertThat(opened).as("channels opened for " + IN_FLIGHT + " publishes in flight")
                    .isLessThanOrEqualTo(2);
            ch.queueDelete(queue);
        } finally {
            factory.destroy();
        }
    }

    @Test
    void anUnroutedMessageFailsAloneAndAClosedChannelIsReplacedByTheNextPublish() throws Exception {
        String queue = TestServices.unique("confirmed-publisher");
        CachingConnectionFactory factory = BrokerConnection.factory(TestServices.amqpUri(), 5000);
        try (Connection admin = adminConnection(); Channel ch = admin.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ConfirmedPublisher publisher = new ConfirmedPublisher(factory, 10_000).connect();
            CompletableFuture<Void> before = publisher.publishAsync(bytes("before"), "", queue);
            CompletableFuture<Void> unrouted = publisher.publishAsync(bytes("unrouted"), "", queue + "-none");
            CompletableFuture<Void> after = publisher.publishAsync(bytes("after"), "", queue);
            before.get(10, TimeUnit.SECONDS);
            after.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> unrouted.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConfirmedPublisher.PublishFailedException.class)
                    .hasMessageContaining("no queue took the message").hasMessageContaining("312");

            // an exchange that does not exist closes the channel (404): that publish fails, the next one opens another
            CompletableFuture<Void> noExchange = publisher.publishAsync(bytes("lost"), TestServices.unique("no-exchange"), queue);
            assertThatThrownBy(() -> noExchange.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConfirmedPublisher.PublishFailedException.class)
                    .hasMessageContaining("channel closed");
            publisher.publishAsync(bytes("again"), "", queue).get(10, TimeUnit.SECONDS);
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).as("before, after, again").isEqualTo(3);
            ch.queueDelete(queue);
        } finally {
            factory.destroy();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Connection adminConnection() throws Exception {
        ConnectionFactory admin = new ConnectionFactory();
        admin.setUri(URI.create(TestServices.amqpUri()));
        admin.setVirtualHost("/");
        return admin.newConnection();
    }
}
