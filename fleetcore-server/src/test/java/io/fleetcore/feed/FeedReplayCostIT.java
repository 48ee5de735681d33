package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.broker.PublishFeedItems;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * What the records feed costs per record when it replays a backlog to RabbitMQ (a durable queue bound to its
 * exchange): CPU of this process (the feed's read, the publishes, the confirms), of the PostgreSQL backends
 * serving the test database (the read query writes each message's JSON) and of the RabbitMQ node when it runs
 * on this machine ({@code -1} otherwise), per record, after a warm-up; printed as a {@code FIGURES feed-replay}
 * line with the load average. Published as the records feed does (layout 2: one message per device per batch,
 * 200 devices). Every row reaches the queue once. A measurement (about a minute; {@code slow}).
 */
@Tag("slow")
class FeedReplayCostIT {

    static final int WARM = 20_000;
    static final int MEASURED = 60_000;
    /** Most records per message: the default of {@code fleetcore.feed.records.max-per-message}. */
    static final int PER_MESSAGE = 1000;

    @Test
    void replayingABacklogToRabbitMqCostsThisMuchCpuPerRecord() throws Exception {
        Database db = TestServices.newMigratedDatabase();
        String exchange = TestServices.unique("fleetcore-feed-cost");
        String queue = exchange + "-q";
        CachingConnectionFactory f = BrokerConnection.factory(TestServices.amqpUri(), 5000);
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueBind(queue, exchange, "#");
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("""
                    insert into records (device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh, angle,
                                         satellites, priority, event_code, protocol, obd, io)
                    select '35220308' || lpad((g % 200)::text, 7, '0'), now() - g * interval '1 second', md5(g::text),
                           37.9 + random(), 23.7 + random(), 120 + g % 50, (g % 90)::float8, g % 360, 9, 0, null, 'teltonika',
                           case when g % 3 = 0 then '{"rpm": 1726, "speed_kmh": 40, "coolant_temp_c": 88}'::jsonb else '{}' end,
                           '{"1": 0, "21": 5, "66": 12345, "67": 4012, "69": 1, "239": 1, "240": 1, "16": 123456789}'::jsonb
                    from generate_series(1, N_ROWS) g""".replace("N_ROWS", Integer.toString(WARM + MEASURED)));
            st.execute("vacuum analyze records");
        }
        PublishFeedItems publish = new PublishFeedItems(f, 30_000, List.of(exchange));
        Feed feed = new Feed(db.dataSource(), "records", FeedSource.RECORDS, 5000, Duration.ofSeconds(1));
        long[] n = {0};
        while (n[0] < WARM) {
            n[0] += Math.max(0, feed.deliverNext(items -> publish.publish(RecordMessages.byDevice(items, PER_MESSAGE), exchange)));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long beam = rabbitPid();
        long jvm0 = os.getProcessCpuTime();
        long pg0 = pgTicks(db);
        long beam0 = beam < 0 ? 0 : ticks(beam);
        long t0 = System.nanoTime();
        long start = n[0];
        while (n[0] < WARM + MEASURED) {
            n[0] += Math.max(0, feed.deliverNext(items -> publish.publish(RecordMessages.byDevice(items, PER_MESSAGE), exchange)));
        }
        long wall = System.nanoTime() - t0;
        long jvm = os.getProcessCpuTime() - jvm0;
        long pg = pgTicks(db) - pg0;
        long rabbit = beam < 0 ? 0 : ticks(beam) - beam0;
        long rows = n[0] - start;
        System.out.printf("FIGURES feed-replay rows=%d wall_s=%.2f rows_per_s=%.0f cpu_us_per_record_fleetcore=%.1f"
                        + " cpu_us_per_record_postgres=%.1f cpu_us_per_record_rabbitmq=%.1f load=%s%n",
                rows, wall / 1e9, rows / (wall / 1e9), jvm / 1e3 / rows, pg * 10_000.0 / rows, beam < 0 ? -1 : rabbit * 10_000.0 / rows,
                Files.readString(Path.of("/proc/loadavg")).trim());
        try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
            long messages = ch.messageCount(queue);
            java.util.Set<Long> ids = new java.util.HashSet<>();
            long records = 0;
            com.rabbitmq.client.GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                List<Long> carried = RecordMessages.recordIds(r.getBody());
                records += carried.size();
                ids.addAll(carried);
            }
            System.out.printf("FIGURES feed-replay messages=%d records_per_message=%.1f%n", messages,
                    (double) records / messages);
            assertThat(records).as("every row once on the bound queue").isEqualTo(WARM + MEASURED);
            assertThat(ids).hasSize(WARM + MEASURED);
        } finally {
            f.destroy();
            db.close();
            TestBroker.deleteExchanges(exchange);
            try (var c = TestBroker.factory().newConnection(); Channel ch = c.createChannel()) {
                ch.queueDelete(queue);
            }
        }
    }

    /** utime + stime in clock ticks (1/100 s, hence 10,000 µs per tick) of every backend serving this database. */
    static long pgTicks(Database db) throws Exception {
        long sum = 0;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pid from pg_stat_activity where datname = current_database()")) {
            while (rs.next()) {
                sum += ticks(rs.getLong(1));
            }
        }
        return sum;
    }

    static long ticks(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The local RabbitMQ node (its Erlang VM), or -1 when none runs on this machine. */
    static long rabbitPid() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").contains("beam.smp"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
}
