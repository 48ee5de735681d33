package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.Application;
import io.fleetcore.testing.RunningFleetcore;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The integrity contract when things break, against the real PostgreSQL and broker: PostgreSQL and the
 * broker are reached through TCP proxies this test cuts and restores.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class RetryAndParkingIT {

    static final int MAX_ATTEMPTS = 3;

    static TcpProxy dbProxy;
    static TcpProxy brokerProxy;
    static RunningFleetcore fc;

    /** Settings of the topology under test; subclasses run the same tests on another route folder. */
    Map<String, String> topology() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        startWith(topology());
    }

    /** Starts fleetcore behind the proxies; {@code topology} adds settings (the route folder). */
    static void startWith(Map<String, String> topology) throws Exception {
        String directDb = TestServices.newDatabase();
        URI db = URI.create(directDb.substring("jdbc:".length()));
        dbProxy = TcpProxy.to(db.getHost(), db.getPort());
        URI amqp = URI.create(TestServices.amqpUri());
        brokerProxy = TcpProxy.to(amqp.getHost(), amqp.getPort());
        java.util.Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "fleetcore.db.url", directDb.replace(":" + db.getPort() + "/", ":" + dbProxy.port() + "/"),
                "test.db.direct-url", directDb,
                "fleetcore.db.connection-timeout", "500ms",
                "fleetcore.amqp.uri", amqp.toString().replace(":" + amqp.getPort() + "/", ":" + brokerProxy.port() + "/"),
                "fleetcore.amqp.confirm-timeout-ms", "2000",
                "fleetcore.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "fleetcore.retry.initial-delay-ms", "50",
                "fleetcore.retry.max-delay-ms", "1000"));
        settings.putAll(topology);
        fc = RunningFleetcore.start(settings);
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("alter table records add constraint no_poison check (device_uid <> 'poison-1')");
        }
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
        if (dbProxy != null) {
            dbProxy.close();
        }
        if (brokerProxy != null) {
            brokerProxy.close();
        }
    }

    @AfterEach
    void servicesBack() {
        dbProxy.restore();
        brokerProxy.restore();
    }

    static String packet(String device, int second) {
        return String.format("{\"device_number\":\"%s\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:%02d:%02d\","
                + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}", device, second / 60, second % 60);
    }

    /** {@code connections} devices send {@code perConnection} records each, concurrently; returns the replies. */
    static List<String> send(String prefix, int connections, int perConnection, int timeoutMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(connections, 64));
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int d = 0; d < connections; d++) {
                StringBuilder payload = new StringBuilder();
                for (int i = 0; i < perConnection; i++) {
                    payload.append(packet(prefix + d, i));
                }
                String p = payload.toString();
                Callable<String> call = () -> RunningFleetcore.exchange(fc.jsonPort(), p, perConnection, timeoutMillis);
                replies.add(pool.submit(call));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> r : replies) {
                out.add(r.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static long acks(List<String> replies) {
        return replies.stream().mapToLong(r -> r.chars().filter(ch -> ch == '1').count()).sum();
    }

    static long rows(String prefix) throws Exception {
        return fc.count("select count(*) from records where device_uid like '" + prefix + "%'");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    static long rowsQuietly(String prefix) {
        try {
            return rows(prefix);
        } catch (Exception e) {
            return -1;
        }
    }

    static long retryReady() {
        try {
            return TestBroker.ready(fc.topology().retryQueue());
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs {@code fleetcore parked <sub>} against this test's broker and queues; returns what it printed. */
    static String parkedCommand(BrokerTopology topology, String sub) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "fleetcore.amqp.uri", TestServices.amqpUri(),
                "fleetcore.amqp.exchange", topology.exchange(),
                "fleetcore.amqp.retry-queue", topology.retryQueue(),
                "fleetcore.amqp.parked-queue", topology.parkedQueue(),
                "fleetcore.amqp.queue-type", topology.queueType().name().toLowerCase(java.util.Locale.ROOT)));
        if (topology.ingestQueue() != null) {
            // the command declares the whole topology: never the default (shared) ingest queue
            settings.put("fleetcore.amqp.ingest-queue", topology.ingestQueue());
        }
        settings.forEach(System::setProperty);
        try {
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new Application());
            cli.setOut(new PrintWriter(out));
            assertThat(cli.execute("parked", sub)).as("exit code of parked " + sub).isZero();
            return out.toString();
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void databaseDownEveryRecordIsAckedViaTheBrokerAndStoredOnceWhenItIsBack() throws Exception {
        double redeliveredBefore = fc.counter("fleetcore.records.redelivered");
        dbProxy.cut();
        List<String> replies = send("down-", 50, 10, 15000);
        assertThat(acks(replies)).as("ACKs while the database is down").isEqualTo(500);
        assertThat(rows("down-")).isZero();

        dbProxy.restore();
        long back = System.nanoTime();
        await("500 rows", Duration.ofSeconds(10), () -> rowsQuietly("down-") == 500);
        System.out.printf("500 dead-lettered records stored %d ms after the database came back%n",
                (System.nanoTime() - back) / 1_000_000);
        await("retry queue drained", Duration.ofSeconds(5), () -> retryReady() == 0
                && fc.counter("fleetcore.records.redelivered") - redeliveredBefore == 500);
        assertThat(rows("down-")).isEqualTo(500);
        assertThat(fc.count("select count(distinct (device_uid, fix_time)) from records where device_uid like 'down-%'")).isEqualTo(500);
    }

    @Test
    void databaseAndBrokerDownNoAckAndTheResentRecordsAreStoredOnce() throws Exception {
        dbProxy.cut();
        brokerProxy.cut();
        List<String> replies = send("both-", 10, 3, 8000);
        assertThat(acks(replies)).as("ACKs with neither database nor broker").isZero();

        dbProxy.restore();
        brokerProxy.restore();
        List<String> again = send("both-", 10, 3, 15000);
        assertThat(acks(again)).isEqualTo(30);
        // while the pool reconnects a few may still go the broker way; either way each is stored once
        await("30 rows", Duration.ofSeconds(10), () -> rowsQuietly("both-") == 30);
        await("retry queue drained", Duration.ofSeconds(5), () -> retryReady() == 0);
        assertThat(rows("both-")).isEqualTo(30);
    }

    @Test
    void aLostBrokerConnectionHealsByItself() throws Exception {
        // the first outage opens the broker connection and the consumer is running on it
        dbProxy.cut();
        assertThat(acks(send("heal-a-", 5, 2, 15000))).isEqualTo(10);
        brokerProxy.cut();          // every broker connection is dropped
        brokerProxy.restore();
        assertThat(acks(send("heal-b-", 5, 2, 15000))).as("ACKs after the broker connection was lost").isEqualTo(10);
        dbProxy.restore();
        await("20 rows", Duration.ofSeconds(15), () -> rowsQuietly("heal-") == 20);
        await("retry queue drained", Duration.ofSeconds(5), () -> retryReady() == 0);
        assertThat(rows("heal-")).isEqualTo(20);
    }

    @Test
    void poisonIsParkedWithItsErrorWhileOtherMessagesKeepFlowing() throws Exception {
        BrokerTopology topology = fc.topology();
        dbProxy.cut();
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("poison-1", 1), 1, 15000)).isEqualTo("1");
        assertThat(acks(send("flow-", 10, 2, 15000))).isEqualTo(20);
        dbProxy.restore();

        await("poison parked", Duration.ofSeconds(20), () -> {
            try {
                return TestBroker.parked(topology).list().size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        await("20 rows", Duration.ofSeconds(10), () -> rowsQuietly("flow-") == 20);
        List<ParkedMessages.Parked> parked = TestBroker.parked(topology).list();
        assertThat(parked).hasSize(1);
        ParkedMessages.Parked p = parked.get(0);
        assertThat(p.device()).isEqualTo("poison-1");
        assertThat(p.records()).isEqualTo(1);
        assertThat(p.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(p.lastError()).contains("no_poison");
        assertThat(p.firstFailure()).isNotNull();
        assertThat(fc.count("select count(*) from records where device_uid = 'poison-1'")).isZero();
        assertThat(fc.counter("fleetcore.records.parked")).isGreaterThanOrEqualTo(1);
        await("retry queue drained", Duration.ofSeconds(5), () -> retryReady() == 0);

        // the operator fixes the cause and replays: the record is stored once, nothing stays parked
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("alter table records drop constraint no_poison");
        }
        try {
            assertThat(parkedCommand(topology, "list")).contains("poison-1").contains("no_poison")
                    .containsPattern("poison-1\\s+1\\s+" + MAX_ATTEMPTS + "\\s").contains("1 parked message(s)");
            assertThat(parkedCommand(topology, "replay")).contains("1 message(s) moved back to the retry queue");
            await("poison stored after replay", Duration.ofSeconds(10),
                    () -> rowsQuietly("poison-1") == 1);
            assertThat(TestBroker.parked(topology).list()).isEmpty();
        } finally {
            try (Connection c = fc.db(); Statement st = c.createStatement()) {
                st.execute("delete from records where device_uid = 'poison-1'");
                st.execute("alter table records add constraint no_poison check (device_uid <> 'poison-1')");
            }
        }
    }
}
