package io.fleetcore.obd;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.teltonika.TeltonikaProtocolDecoder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor data to the canonical {@code obd} keys (docs/schema.md, `obd_*` columns). Teltonika records: the OBD IO ids of the
 * FMB003 table (signed temperatures, scaled MAF and voltage, VIN and DTC list from Codec 8E's
 * variable-length values). Any protocol: raw SAE J1979 Mode 01 responses under {@code io.obd}. Raw values
 * stay in {@code io}; ids and PIDs without a canonical name are left there, never an error.
 */
public final class ObdNormalizer {

    public DeviceRecord normalize(DeviceRecord record) {
        Map<String, Object> obd = new LinkedHashMap<>(record.obd());
        Object raw = record.io().get("obd");
        if (raw instanceof Iterable<?> responses) {
            J1979.decodeAll(responses, obd);
        }
        if (TeltonikaProtocolDecoder.PROTOCOL.equals(record.protocol())) {
            teltonika(record.io(), obd);
        }
        return obd.equals(record.obd()) ? record : record.withObd(obd);
    }

    static void teltonika(Map<String, Object> io, Map<String, Object> obd) {
        for (Map.Entry<String, Object> e : io.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "30" -> number(v).ifPresent(n -> obd.put("dtc_count", n));
                case "31" -> number(v).ifPresent(n -> obd.put("engine_load_pct", n));
                case "32" -> number(v).ifPresent(n -> obd.put("coolant_temp_c", signed(n)));
                case "36" -> number(v).ifPresent(n -> obd.put("rpm", n));
                case "37" -> number(v).ifPresent(n -> obd.put("speed_kmh", n));
                case "39" -> number(v).ifPresent(n -> obd.put("intake_air_temp_c", signed(n)));
                case "40" -> number(v).ifPresent(n -> obd.put("maf_gps", Obd.round(n * 0.01, 2)));
                case "41" -> number(v).ifPresent(n -> obd.put("throttle_pct", n));
                case "48" -> number(v).ifPresent(n -> obd.put("fuel_level_pct", n));
                case "51" -> number(v).ifPresent(n -> obd.put("module_voltage_v", Obd.round(n * 0.001, 3)));
                case "53" -> number(v).ifPresent(n -> obd.put("ambient_air_temp_c", signed(n)));
                case "389" -> number(v).ifPresent(n -> obd.put("obd_odometer_km", n));
                case "256" -> {
                    String vin = ascii(v);
                    if (!vin.isEmpty()) {
                        obd.put("vin", vin);
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
                        obd.put("dtcs", dtcs);
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
