package io.fleetcore.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;

/** Tells an unavailable database (retry later, do not count as poison) from data it refuses. */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** True when the failure says nothing about the data: connection lost, pool timeout, server shutting down. */
    public static boolean isUnavailable(Throwable failure) {
        return isUnavailable(failure, 0);
    }

    private static boolean isUnavailable(Throwable failure, int depth) {
        if (depth > 8) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // pgjdbc can surface a connection that died mid-batch as an AssertionError with the real
            // cause (08003, connection closed) suppressed: look there too
            for (Throwable suppressed : t.getSuppressed()) {
                if (isUnavailable(suppressed, depth + 1)) {
                    return true;
                }
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception, 57P: operator intervention (shutdown), 53: insufficient resources
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
