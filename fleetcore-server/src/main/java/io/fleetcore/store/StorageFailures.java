package io.fleetcore.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells an unavailable database (back off and retry, never poison) from data it refuses (poison). Only data
 * errors are poison: SQLSTATE class 22 (data exception: value out of range, invalid text, NUL byte) and 23
 * (integrity constraint violation), or a {@link RecordRefusedException}. Every other SQLSTATE means the
 * database cannot take the records now, whatever the data: 08 (connection), 25006 (read-only after a
 * fail-over), 40001/40P01 (serialization failure, deadlock), 53 (insufficient resources), 55P03 (lock not
 * available), 57 (cancelled, shutting down), 58 (system error), XX000 (internal error) and the rest.
 */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** True when the failure says nothing about the data: connection lost, pool timeout, server shutting down. */
    public static boolean isUnavailable(Throwable failure) {
        return !isDataError(failure) && isUnavailable(failure, 0);
    }

    /** True when the database refused the data itself (SQLSTATE class 22 or 23): retrying cannot help. */
    public static boolean isDataError(Throwable failure) {
        return dataState(failure, 0) != null;
    }

    /** The SQLSTATE (class 22 or 23) of a data error in the failure, or {@code null} when it is none. */
    public static String dataState(Throwable failure) {
        return dataState(failure, 0);
    }

    private static String dataState(Throwable failure, int depth) {
        if (depth > 8) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordRefusedException refused) {
                return refused.sqlState();
            }
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return state;
                    }
                }
            }
            for (Throwable suppressed : t.getSuppressed()) {
                String state = dataState(suppressed, depth + 1);
                if (state != null) {
                    return state;
                }
            }
        }
        return null;
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
            if (t instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                // a server error that is not about the data (classes 22/23 are excluded above)
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
