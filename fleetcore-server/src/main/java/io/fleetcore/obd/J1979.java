package io.fleetcore.obd;

import io.fleetcore.protocol.Numbers;
import java.util.HexFormat;
import java.util.Map;

/**
 * SAE J1979 Mode 01 responses ({@code 41 PID A B ...}) to canonical OBD-II values. Only the PIDs of the
 * table in docs/protocols/teltonika.md are named; anything else answers {@code null} and stays raw.
 */
public final class J1979 {

    /** A named value: canonical key and number. */
    public record Value(String key, Number value) {
    }

    private J1979() {
    }

    /**
     * Decodes one response in hex ({@code "410C1AF8"}); {@code null} when it is not a Mode 01 response, the
     * PID is not in the table, or it carries too few data bytes.
     */
    public static Value decode(String hex) {
        byte[] b;
        try {
            b = HexFormat.of().parseHex(hex.replace(" ", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (b.length < 3 || (b[0] & 0xFF) != 0x41) {
            return null;
        }
        int pid = b[1] & 0xFF;
        int n = b.length - 2;
        int a = b[2] & 0xFF;
        int bb = n > 1 ? b[3] & 0xFF : -1;
        return switch (pid) {
            case 0x04 -> new Value("engine_load_pct", Numbers.round(a * 100.0 / 255, 2));
            case 0x05 -> new Value("coolant_temp_c", a - 40L);
            case 0x0C -> n < 2 ? null : new Value("rpm", Numbers.round((256.0 * a + bb) / 4, 2));
            case 0x0D -> new Value("speed_kmh", (long) a);
            case 0x0F -> new Value("intake_air_temp_c", a - 40L);
            case 0x10 -> n < 2 ? null : new Value("maf_gps", Numbers.round((256.0 * a + bb) / 100, 2));
            case 0x11 -> new Value("throttle_pct", Numbers.round(a * 100.0 / 255, 2));
            case 0x2F -> new Value("fuel_level_pct", Numbers.round(a * 100.0 / 255, 2));
            case 0x46 -> new Value("ambient_air_temp_c", a - 40L);
            case 0xA6 -> n < 4 ? null : new Value("obd_odometer_km",
                    Numbers.round(((long) a << 24 | (long) bb << 16 | (b[4] & 0xFF) << 8 | (b[5] & 0xFF)) / 10.0, 1));
            default -> null;
        };
    }

    /** Every named value of a list of responses; later responses for the same key win. */
    public static void decodeAll(Iterable<?> responses, Map<String, Object> into) {
        for (Object response : responses) {
            Value v = response == null ? null : decode(response.toString());
            if (v != null) {
                into.put(v.key(), v.value());
            }
        }
    }
}
