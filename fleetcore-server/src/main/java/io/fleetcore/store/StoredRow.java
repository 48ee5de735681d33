package io.fleetcore.store;

import io.fleetcore.model.DeviceRecord;

/**
 * A record with its derived column values (content hash, JSON of OBD and IO) computed once, on the
 * submitting thread: the single writer thread then only binds and sends.
 */
public record StoredRow(DeviceRecord record, String contentHash, String obdJson, String ioJson) {

    /** Fails with {@link IllegalArgumentException} when a value cannot be written as JSON. */
    public static StoredRow of(DeviceRecord r) {
        String io = RecordJson.toJson(r.io());
        return new StoredRow(r, RecordJson.contentHash(r, io), RecordJson.toJson(r.obd()), io);
    }
}
