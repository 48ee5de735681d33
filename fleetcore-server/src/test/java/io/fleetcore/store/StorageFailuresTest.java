package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Not about the data: back off and retry, never park (issue 13). */
    @ParameterizedTest
    @ValueSource(strings = {"25006", "57014", "40001", "40P01", "55P03", "53000", "53100", "53200", "53300", "53400",
            "58000", "58030", "XX000", "XX001", "57P01", "57P03", "08006", "42P01"})
    void serverErrorsThatAreNotAboutTheDataAreUnavailability(String state) {
        SQLException e = new SQLException("server says " + state, state);
        assertThat(StorageFailures.isUnavailable(e)).as(state).isTrue();
        assertThat(StorageFailures.isDataError(e)).as(state).isFalse();
        assertThat(StorageFailures.isUnavailable(new RuntimeException(new BatchUpdateException("batch", state, 0, new int[0], e))))
                .as("wrapped " + state).isTrue();
    }

    /** Only data errors are poison: class 22 (data exception) and 23 (integrity constraint violation). */
    @ParameterizedTest
    @ValueSource(strings = {"22000", "22001", "22003", "22007", "22008", "22021", "22023", "22P02", "22P05", "23502", "23505", "23514"})
    void dataErrorsArePoison(String state) {
        SQLException e = new SQLException("refused " + state, state);
        assertThat(StorageFailures.isDataError(e)).as(state).isTrue();
        assertThat(StorageFailures.isUnavailable(e)).as(state).isFalse();
        assertThat(StorageFailures.dataState(new RuntimeException(e))).isEqualTo(state);
        // pgjdbc's BatchUpdateException carries the server error as its next exception
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0], null);
        batch.setNextException(e);
        assertThat(StorageFailures.isDataError(batch)).as("batch " + state).isTrue();
        assertThat(StorageFailures.isUnavailable(batch)).as("batch " + state).isFalse();
        assertThat(StorageFailures.isDataError(new RecordRefusedException(state, "x", "dev", e))).isTrue();
    }

    @Test
    void refusedDataIsNotUnavailability() {
        assertThat(StorageFailures.isUnavailable(new SQLException("check constraint", "23514"))).isFalse();
        assertThat(StorageFailures.isUnavailable(new SQLException("invalid input", "22P02"))).isFalse();
        assertThat(StorageFailures.isUnavailable(new IllegalArgumentException("bad"))).isFalse();
    }
}
