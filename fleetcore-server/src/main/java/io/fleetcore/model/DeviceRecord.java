package io.fleetcore.model;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded record of a device, protocol independent.
 * Optional values are {@code null} when the protocol does not carry them.
 * {@code io} keeps every raw vendor value; {@code obd} holds canonical OBD-II keys (`obd_*` columns of docs/schema.md).
 */
public record DeviceRecord(
        String deviceUid,
        Instant fixTime,
        double latitude,
        double longitude,
        Double altitude,
        Double speedKmh,
        Integer angle,
        Integer satellites,
        Integer priority,
        String eventCode,
        String protocol,
        Map<String, Object> obd,
        Map<String, Object> io) {

    /** The earliest fix time fleetcore stores: 0001-01-01T00:00:00Z (a wrong but representable date is stored and flagged). */
    public static final Instant MIN_FIX_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest fix time fleetcore stores: 9999-12-31T23:59:59.999999Z (beyond it ISO-8601 text and PostgreSQL part ways). */
    public static final Instant MAX_FIX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** True when PostgreSQL and Java can both hold the fix time; decoders refuse frames where it is false. */
    public static boolean storableFixTime(Instant fixTime) {
        return !fixTime.isBefore(MIN_FIX_TIME) && !fixTime.isAfter(MAX_FIX_TIME);
    }

    public DeviceRecord {
        if (deviceUid == null || deviceUid.isBlank()) {
            throw new IllegalArgumentException("deviceUid is required");
        }
        if (fixTime == null) {
            throw new IllegalArgumentException("fixTime is required");
        }
        if (protocol == null || protocol.isBlank()) {
            throw new IllegalArgumentException("protocol is required");
        }
        obd = obd == null ? Map.of() : Map.copyOf(obd);
        io = io == null ? Map.of() : Map.copyOf(io);
    }

    /** A copy with the canonical OBD values replaced. */
    public DeviceRecord withObd(Map<String, Object> canonical) {
        return new DeviceRecord(deviceUid, fixTime, latitude, longitude, altitude, speedKmh, angle, satellites,
                priority, eventCode, protocol, canonical, io);
    }
}
