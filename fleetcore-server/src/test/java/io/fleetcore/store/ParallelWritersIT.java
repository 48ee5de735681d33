package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import io.fleetcore.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fleetcore.store.writers}: N group-commit writers commit in parallel on their own connections, and a
 * device's records still commit in the order they were submitted (its records always take the same writer).
 */
class ParallelWritersIT {

    static Database db;

    @BeforeAll
    static void start() throws SQLException {
        db = TestServices.newMigratedDatabase("fleetcore.db.user", "postgres", "fleetcore.db.pool-size", "8");
        // every insert statement takes a while, as on a slow disk: writers that run in parallel overlap for sure
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("create function slow_insert() returns trigger language plpgsql as"
                    + " $$ begin perform pg_sleep(0.05); return null; end $$");
            st.execute("create trigger records_slow after insert on records for each statement execute function slow_insert()");
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Counts how many connections are borrowed at the same time. */
    static final class CountingPool extends TestDataSource {
        final DataSource pool;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        CountingPool(DataSource pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = pool.getConnection();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            open.decrementAndGet();
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

    }

    static DeviceRecord record(String device, int i) {
        return new DeviceRecord(device, Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i), 37.9, 23.7,
                null, null, null, null, null, "4002", "json", Map.of(), Map.of());
    }

    @Test
    void fourWritersCommitInParallelAndEachDeviceInSubmissionOrder() throws Exception {
        CountingPool pool = new CountingPool(db.dataSource());
        int devices = 16;
        int perDevice = 40;
        List<CompletableFuture<Throwable>> done = new ArrayList<>();
        try (RecordStore store = new RecordStore(pool, 50, Duration.ofMillis(2), 10_000, 4)) {
            assertThat(store.writers()).isEqualTo(4);
            Set<Integer> lanes = new HashSet<>();
            for (int d = 0; d < devices; d++) {
                lanes.add(store.laneOf("pw-" + d));
            }
            assertThat(lanes).as("16 devices spread over the writers").hasSizeGreaterThan(1);
            // round-robin over devices, one record per submission, in fix-time order per device
            for (int i = 0; i < perDevice; i++) {
                for (int d = 0; d < devices; d++) {
                    CompletableFuture<Throwable> f = new CompletableFuture<>();
                    store.submit(List.of(record("pw-" + d, i)), f::complete, Duration.ofSeconds(5));
                    done.add(f);
                }
            }
            for (CompletableFuture<Throwable> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).as("committed").isNull();
            }
        }
        assertThat(pool.maxOpen.get()).as("connections in use at once").isGreaterThanOrEqualTo(2);
        assertThat(pool.threads).as("writer threads").hasSizeGreaterThanOrEqualTo(2)
                .allMatch(t -> t.startsWith("fleetcore-store-writer-"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     select count(*),
                            count(*) filter (where out_of_order)
                     from (select fix_time < lag(fix_time) over (partition by device_uid order by id) as out_of_order
                           from records where device_uid like 'pw-%') t""")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo((long) devices * perDevice);
            assertThat(rs.getLong(2)).as("records of a device committed out of submission order").isZero();
        }
    }
}
