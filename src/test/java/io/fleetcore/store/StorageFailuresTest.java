package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class StorageFailuresTest {

    @Test
    void connectionProblemsAreUnavailability() {
        assertThat(StorageFailures.isUnavailable(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(StorageFailures.isUnavailable(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(StorageFailures.isUnavailable(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(StorageFailures.isUnavailable(new RuntimeException(new SQLException("closed", "08003")))).isTrue();
    }

    /** Regression: pgjdbc reported a connection that died mid-batch as an AssertionError, cause suppressed. */
    @Test
    void pgjdbcAssertionWithSuppressedConnectionClosedIsUnavailability() {
        AssertionError e = new AssertionError("pgStatement.getConnection().getAutoCommit() should not throw");
        e.addSuppressed(new SQLException("This connection has been closed.", "08003"));
        assertThat(StorageFailures.isUnavailable(e)).isTrue();
    }

    @Test
    void refusedDataIsNotUnavailability() {
        assertThat(StorageFailures.isUnavailable(new SQLException("check constraint", "23514"))).isFalse();
        assertThat(StorageFailures.isUnavailable(new SQLException("invalid input", "22P02"))).isFalse();
        assertThat(StorageFailures.isUnavailable(new IllegalArgumentException("bad"))).isFalse();
    }
}
