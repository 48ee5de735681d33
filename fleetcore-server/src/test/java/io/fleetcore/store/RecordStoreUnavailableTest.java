package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Regression (chaos seed 7): while the pool could not get a connection, every batch waited out the pool's
 * timeout, twice (the broken-connection retry), so records reached the dead-letter path later than the
 * devices' ACK timeout. Now a pool timeout is not retried and what queued up meanwhile fails at once.
 */
class RecordStoreUnavailableTest {

    /** A pool whose every request times out after 300 ms, as Hikari's does when the server is gone. */
    static final class DeadPool extends TestDataSource {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            requests.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLTransientConnectionException("fleetcore-db - Connection is not available, request timed out after 300ms");
        }

    }

    static List<DeviceRecord> record(int i) {
        return List.of(new DeviceRecord("dev-" + i, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i), 1, 2,
                null, null, null, null, null, "4002", "json", Map.of(), Map.of()));
    }

    @Test
    void aPoolTimeoutIsNotRetriedAndWhatQueuedMeanwhileFailsAtOnce() throws Exception {
        DeadPool pool = new DeadPool();
        RecordStore store = new RecordStore(pool, 1, Duration.ZERO, 100);
        try {
            List<CompletableFuture<Throwable>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                store.submit(record(i), outcome::complete, Duration.ofSeconds(1));
                outcomes.add(outcome);
            }
            assertThat(outcomes.get(0).get(5, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class);
            for (CompletableFuture<Throwable> queued : outcomes.subList(1, 3)) {
                Throwable failure = queued.get(5, TimeUnit.SECONDS);
                assertThat(failure).isInstanceOf(StoreBusyException.class).hasMessageContaining("database unavailable");
                assertThat(StorageFailures.isUnavailable(failure)).as("dead-lettered, not counted as poison").isTrue();
            }
            assertThat(pool.requests).as("one pool wait: no retry, the queued ones did not wait again").hasValue(1);

            // work that comes later tries the database afresh (it may be back)
            CompletableFuture<Throwable> later = new CompletableFuture<>();
            store.submit(record(9), later::complete, Duration.ofSeconds(1));
            assertThat(later.get(5, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(pool.requests).hasValue(2);
        } finally {
            store.drain(Duration.ofSeconds(2));
        }
    }
}
