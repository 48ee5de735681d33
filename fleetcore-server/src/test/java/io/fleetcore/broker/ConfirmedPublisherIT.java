package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The asynchronous publish of broker-first against the real broker: many messages in flight share one channel
 * (publishes are not serialized behind each other's confirms, and no channel is opened per message), each
 * completes from its own confirm, and a message no queue takes fails on its own without failing the others.
 * With several channels: a device's messages keep their order, a nack or a closed channel fails only its own.
 */
class ConfirmedPublisherIT {

    static final int IN_FLIGHT = 2000;

    @Test
    void manyPublishesInFlightShareOneChannelAndEachCompletesFromItsConfirm() throws Exception {
        onQueue(null, (factory, ch, queue) -> {
            AtomicInteger channelsOpened = new AtomicInteger();
            factory.addChannelListener((channel, transactional) -> channelsOpened.incrementAndGet());
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
        });
    }

    @Test
    void anUnroutedMessageFailsAloneAndAClosedChannelIsReplacedByTheNextPublish() throws Exception {
        onQueue(null, (factory, ch, queue) -> {
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
        });
    }

    /**
     * Several publishing channels: each device's messages, many in flight at once and interleaved with other
     * devices', reach the queue in the order they were published; every channel carries some of them.
     */
    @Test
    void severalChannelsKeepEachDevicesOrderOnTheQueue() throws Exception {
        onQueue(null, (factory, ch, queue) -> {
            ConfirmedPublisher publisher = new ConfirmedPublisher(factory, 10_000, 4).connect();
            assertThat(publisher.channelsOpened()).as("connect opens every channel").isEqualTo(4);
            int devices = 16;
            int each = 200;
            List<CompletableFuture<Void>> confirms = new ArrayList<>();
            Set<Integer> lanes = new HashSet<>();
            for (int i = 0; i < each; i++) {
                for (int d = 0; d < devices; d++) {
                    String device = "35630704244" + (1000 + d);
                    lanes.add(publisher.lane(device));
                    confirms.add(publisher.publishAsync(bytes(device + ":" + i), "", queue, device));
                }
            }
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(lanes).as("16 devices spread over the 4 channels").hasSize(4);
            Map<String, Integer> last = new HashMap<>();
            int received = 0;
            GetResponse m;
            while ((m = ch.basicGet(queue, true)) != null) {
                String[] parts = new String(m.getBody(), StandardCharsets.UTF_8).split(":");
                int seq = Integer.parseInt(parts[1]);
                assertThat(seq).as("device " + parts[0] + ": the message after " + last.get(parts[0]))
                        .isEqualTo(last.getOrDefault(parts[0], -1) + 1);
                last.put(parts[0], seq);
                received++;
            }
            assertThat(received).isEqualTo(devices * each);
            assertThat(publisher.channelsOpened()).as("no channel opened per message").isEqualTo(4);
        });
    }

    /** A nack (queue full, reject-publish) fails that publish alone, on whichever channel; no channel is lost over it. */
    @Test
    void aNackedPublishFailsOnItsChannelWhileTheOthersConfirm() throws Exception {
        onQueue(Map.of("x-max-length", 2, "x-overflow", "reject-publish"), (factory, ch, queue) -> {
            ConfirmedPublisher publisher = new ConfirmedPublisher(factory, 10_000, 3).connect();
            publisher.publishAsync(bytes("one"), "", queue, "device-1").get(10, TimeUnit.SECONDS);
            publisher.publishAsync(bytes("two"), "", queue, "device-2").get(10, TimeUnit.SECONDS);
            for (String device : List.of("device-1", "device-2", "device-3")) {
                CompletableFuture<Void> full = publisher.publishAsync(bytes("three"), "", queue, device);
                assertThatThrownBy(() -> full.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ConfirmedPublisher.PublishFailedException.class).hasMessageContaining("nack");
            }
            assertThat(ch.basicGet(queue, true).getBody()).isEqualTo(bytes("one"));
            publisher.publishAsync(bytes("after"), "", queue, "device-3").get(10, TimeUnit.SECONDS);
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).as("two, after").isEqualTo(2);
            assertThat(publisher.channelsOpened()).as("a nack closes no channel").isEqualTo(3);
        });
    }

    /** A channel that closes fails only its own publishes; the next publish on it opens a new one. */
    @Test
    void aClosedChannelFailsOnlyItsOwnPublishes() throws Exception {
        onQueue(null, (factory, ch, queue) -> {
            ConfirmedPublisher publisher = new ConfirmedPublisher(factory, 10_000, 2).connect();
            String a = "device-a";
            String b = IntStream.range(0, 100).mapToObj(i -> "device-b" + i)
                    .filter(k -> publisher.lane(k) != publisher.lane(a)).findFirst().orElseThrow();
            CompletableFuture<Void> lost = publisher.publishAsync(bytes("lost"), TestServices.unique("no-exchange"), queue, a);
            assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("channel closed");
            publisher.publishAsync(bytes("other channel"), "", queue, b).get(10, TimeUnit.SECONDS);
            assertThat(publisher.channelsOpened()).as("the other channel stayed open").isEqualTo(2);
            publisher.publishAsync(bytes("again"), "", queue, a).get(10, TimeUnit.SECONDS);
            assertThat(publisher.channelsOpened()).as("the closed one was replaced").isEqualTo(3);
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).isEqualTo(2);
        });
    }

    interface OnQueue {
        void run(CachingConnectionFactory factory, Channel admin, String queue) throws Exception;
    }

    /** Runs {@code test} with a fresh durable queue (deleted afterwards) and a publisher connection factory. */
    static void onQueue(Map<String, Object> arguments, OnQueue test) throws Exception {
        String queue = TestServices.unique("confirmed-publisher");
        CachingConnectionFactory factory = BrokerConnection.factory(TestServices.amqpUri(), 5000);
        try (Connection admin = adminConnection(); Channel ch = admin.createChannel()) {
            ch.queueDeclare(queue, true, false, false, arguments);
            test.run(factory, ch, queue);
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
