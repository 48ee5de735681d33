package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.Keys;
import io.fleetcore.protocol.Numbers;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OBD IO ids of the Teltonika FMB003 table → canonical {@link Keys} OBD-II values (docs/protocols/teltonika.md):
 * signed temperatures, scaled MAF and voltage, VIN and DTC list from Codec 8E's variable-length values. Pure; raw
 * values stay in {@code io}, ids without a canonical name are left there, never an error.
 */
public final class TeltonikaObd {

    private TeltonikaObd() {
    }

    /** The record with its OBD IO ids named in {@code obd} (the record itself when it has none). */
    public static DeviceRecord named(DeviceRecord record) {
        Map<String, Object> obd = new LinkedHashMap<>(record.obd());
        name(record.io(), obd);
        return obd.equals(record.obd()) ? record : record.withObd(obd);
    }

    static void name(Map<String, Object> io, Map<String, Object> obd) {
        for (Map.Entry<String, Object> e : io.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "30" -> number(v).ifPresent(n -> obd.put(Keys.DTC_COUNT, n));
                case "31" -> number(v).ifPresent(n -> obd.put(Keys.ENGINE_LOAD_PCT, n));
                case "32" -> number(v).ifPresent(n -> obd.put(Keys.COOLANT_TEMP_C, signed(n)));
                case "36" -> number(v).ifPresent(n -> obd.put(Keys.RPM, n));
                case "37" -> number(v).ifPresent(n -> obd.put(Keys.SPEED_KMH, n));
                case "39" -> number(v).ifPresent(n -> obd.put(Keys.INTAKE_AIR_TEMP_C, signed(n)));
                case "40" -> number(v).ifPresent(n -> obd.put(Keys.MAF_GPS, Numbers.round(n * 0.01, 2)));
                case "41" -> number(v).ifPresent(n -> obd.put(Keys.THROTTLE_PCT, n));
                case "48" -> number(v).ifPresent(n -> obd.put(Keys.FUEL_LEVEL_PCT, n));
                case "51" -> number(v).ifPresent(n -> obd.put(Keys.MODULE_VOLTAGE_V, Numbers.round(n * 0.001, 3)));
                case "53" -> number(v).ifPresent(n -> obd.put(Keys.AMBIENT_AIR_TEMP_C, signed(n)));
                case "389" -> number(v).ifPresent(n -> obd.put(Keys.OBD_ODOMETER_KM, n));
                case "256" -> {
                    String vin = ascii(v);
                    if (!vin.isEmpty()) {
                        obd.put(Keys.VIN, vin);
                    }
                }
                case "281" -> {
                    List<String> dtcs = new ArrayList<>();
                    for (String code : ascii(v).split(",")) {
                        if (!code.isBlank()) {
                            dtcs.add(code.trim());
                        }
                    }
                    if (!dtcs.isEmpty()) {
                        obd.put(Keys.DTCS, dtcs);
                    }
                }
                default -> {
                    // kept raw in io only
                }
            }
        }
    }

    private static Optional<Long> number(Object v) {
        return v instanceof Long || v instanceof Integer ? Optional.of(((Number) v).longValue()) : Optional.empty();
    }

    /**
     * The table's signed temperatures are 1 byte; a device may put them in a wider group, so the value is
     * read as two's complement of the narrowest width (1 or 2 bytes) that holds it.
     */
    static long signed(long v) {
        if (v <= 0xFF) {
            return (byte) v;
        }
        if (v <= 0xFFFF) {
            return (short) v;
        }
        return (int) v;
    }

    /** A variable-length value (upper-case hex) as text: printable ASCII only, NUL padding dropped. */
    static String ascii(Object v) {
        if (!(v instanceof String hex)) {
            return "";
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            }
        }
        return sb.toString().trim();
    }
}
