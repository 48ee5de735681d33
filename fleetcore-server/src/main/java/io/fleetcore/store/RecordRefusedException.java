package io.fleetcore.store;

import io.fleetcore.protocol.UnstorableContentException;

/**
 * PostgreSQL refused the records of one submission for their data (SQLSTATE class 22 or 23), found by
 * bisecting the batch they were in; the rest of that batch committed. A gateway treats it like any content
 * that can never be stored.
 */
public final class RecordRefusedException extends UnstorableContentException {

    public static final String REASON = "refused-by-database";

    private final String sqlState;

    public RecordRefusedException(String sqlState, String detail, String deviceUid, Throwable cause) {
        super(REASON, "SQLSTATE " + sqlState + ": " + detail, deviceUid);
        this.sqlState = sqlState;
        initCause(cause);
    }

    /** The database's SQLSTATE (class 22 or 23). */
    public String sqlState() {
        return sqlState;
    }
}
