package io.fleetcore.check;

import java.time.Instant;
import java.util.Map;

/**
 * A stored record as the quality rules see it, with the device's previous fix (by fix time) when there is
 * one, so a rule can compare consecutive positions.
 */
public record CheckedRecord(
        long id,
        String deviceUid,
        Instant fixTime,
        Instant receivedAt,
        double latitude,
        double longitude,
        Double speedKmh,
        Integer satellites,
        String eventCode,
        String protocol,
        Map<String, Object> obd,
        Previous previous) {

    public CheckedRecord {
        obd = obd == null ? Map.of() : obd;
    }

    /** This record with {@code previous} as its device's previous fix. */
    public CheckedRecord withPrevious(Previous previous) {
        return new CheckedRecord(id, deviceUid, fixTime, receivedAt, latitude, longitude, speedKmh, satellites, eventCode,
                protocol, obd, previous);
    }

    /** The device's fix just before this one. */
    public record Previous(Instant fixTime, double latitude, double longitude) {
    }
}
