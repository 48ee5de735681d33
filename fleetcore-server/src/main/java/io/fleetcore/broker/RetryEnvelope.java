package io.fleetcore.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.store.RecordJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What travels through {@code fleetcore.retry} and {@code fleetcore.parked}: the decoded records of one
 * exchange, how many times storing them was refused ({@code attempts}; an unavailable database does not
 * count), when storing first failed and the last error. Versioned JSON, so a newer fleetcore can still read
 * what an older one parked.
 */
public record RetryEnvelope(int version, String device, List<DeviceRecord> records, int attempts,
                            Instant firstFailure, String lastError) {

    public static final int VERSION = 1;

    public RetryEnvelope {
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported retry envelope version " + version + " (this fleetcore reads " + VERSION + ")");
        }
        records = records == null ? List.of() : List.copyOf(records);
    }

    /** A first failure: {@code counts} says whether it counts toward parking (data refused, not database down). */
    public static RetryEnvelope firstFailure(List<DeviceRecord> records, Throwable error, boolean counts, Instant now) {
        String device = records.isEmpty() ? null : records.get(0).deviceUid();
        return new RetryEnvelope(VERSION, device, records, counts ? 1 : 0, now, describe(error));
    }

    /** Records accepted by a broker-first gateway: no failure yet, nothing counted. */
    public static RetryEnvelope accepted(List<DeviceRecord> records) {
        String device = records.isEmpty() ? null : records.get(0).deviceUid();
        return new RetryEnvelope(VERSION, device, records, 0, null, null);
    }

    /** One more refused attempt. */
    public RetryEnvelope refusedAgain(Throwable error) {
        // records accepted on the broker-first ingest queue meet their first failure here
        return new RetryEnvelope(version, device, records, attempts + 1,
                firstFailure != null ? firstFailure : Instant.now(), describe(error));
    }

    /** Attempts cleared for an operator's replay; the last error stays for the record. */
    public RetryEnvelope replayed() {
        return new RetryEnvelope(version, device, records, 0, firstFailure, lastError);
    }

    /**
     * The record maps in their own order: only {@code fleetcore.records} and the content hash need Jackson's
     * sorted keys, and sorting meant a TreeMap per map per message. Reader and writer resolved once.
     */
    private static final ObjectWriter WRITER = RecordJson.MAPPER.writerFor(RetryEnvelope.class)
            .without(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectReader READER = RecordJson.MAPPER.readerFor(RetryEnvelope.class);

    public byte[] toJson() {
        try {
            return WRITER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("retry envelope cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static RetryEnvelope fromJson(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a fleetcore retry envelope: " + e.getMessage(), e);
        }
    }

    static String describe(Throwable error) {
        if (error == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(error.getClass().getSimpleName()).append(": ").append(error.getMessage());
        Throwable cause = error.getCause();
        if (cause != null && cause != error && cause.getMessage() != null && !String.valueOf(error.getMessage()).contains(cause.getMessage())) {
            s.append(" (").append(cause.getMessage()).append(')');
        }
        return s.length() > 2000 ? s.substring(0, 2000) : s.toString();
    }
}
