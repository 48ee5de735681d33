package io.fleetcore.store;

/** The record store cannot take more work now (queue full or shutting down). Treated as unavailable storage. */
public class StoreBusyException extends java.sql.SQLTransientException {
    public StoreBusyException(String message) {
        super(message);
    }
}
