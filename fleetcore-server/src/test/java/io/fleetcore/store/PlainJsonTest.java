package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordJson#toJson} writes a record's OBD and IO maps without Jackson ({@link PlainJson}); the IO text is
 * part of the content hash, so it must be exactly Jackson's text, for every map, or the natural key of a resent
 * record would change.
 */
class PlainJsonTest {

    private static final String[] KEYS = {"1", "16", "181", "21", "239", "66", "rpm", "vin", "dtcs", "speed_kmh",
            "Z", "a b", "é", "q\"uote", "back\\slash", "tab\t", ""};

    @Test
    void sameTextAsJacksonForRandomMaps() throws Exception {
        Random random = new Random(17);
        int plain = 0;
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> map = map(random, 0);
            String expected = RecordJson.MAPPER.writeValueAsString(map);
            assertThat(RecordJson.toJson(map)).as("map %s", map).isEqualTo(expected);
            if (PlainJson.map(new StringBuilder(), map)) {
                plain++;
            }
        }
        // most maps take the plain path, so the comparison above is mostly about it
        assertThat(plain).isGreaterThan(8_000);
    }

    @Test
    void teltonikaAndObdShapes() throws Exception {
        Map<String, Object> io = new LinkedHashMap<>();
        io.put("66", 14084L);
        io.put("16", 124020547L);
        io.put("239", 1);
        io.put("389", 124020L);
        Map<String, Object> obd = new LinkedHashMap<>();
        obd.put("rpm", 785);
        obd.put("module_voltage_v", 14.232);
        obd.put("vin", "WVWZZZ1JZXW000001");
        obd.put("dtcs", List.of("P0301", "P0420"));
        obd.put("maf_gps", 1.0E-5);
        obd.put("big", 1.0E21);
        assertThat(RecordJson.toJson(io)).isEqualTo("{\"16\":124020547,\"239\":1,\"389\":124020,\"66\":14084}")
                .isEqualTo(RecordJson.MAPPER.writeValueAsString(io));
        assertThat(RecordJson.toJson(obd)).isEqualTo(RecordJson.MAPPER.writeValueAsString(obd));
        assertThat(PlainJson.map(new StringBuilder(), obd)).isTrue();
    }

    /** What the plain writer leaves to Jackson: escapes, non-ASCII, NaN, floats, big numbers, other types. */
    @Test
    void givesUpWhereJacksonDiffers() {
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a", "x\"y"))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a", "é"))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a\n", 1))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a", Double.NaN))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a", 1.5f))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of("a", BigDecimal.ONE))).isFalse();
        assertThat(PlainJson.map(new StringBuilder(), Map.of(1, 1))).isFalse();
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> map = new HashMap<>();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            String key = random.nextInt(10) == 0 ? KEYS[random.nextInt(KEYS.length)]
                    : KEYS[random.nextInt(10)] + (random.nextBoolean() ? "" : String.valueOf(random.nextInt(400)));
            map.put(key, value(random, depth));
        }
        return map;
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth < 2 ? 16 : 13)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextInt(100_000);
            case 2 -> (short) random.nextInt(1000);
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) * (random.nextBoolean() ? 1 : -1);
            case 4 -> (double) random.nextInt(1000);
            case 5 -> random.nextBoolean();
            case 6 -> "P0" + random.nextInt(999);
            case 7 -> random.nextInt(20) == 0 ? "ünïcode" : random.nextInt(20) == 0 ? "a\"b\\c\n" : "WVWZZZ1JZ";
            case 8 -> random.nextInt(4) == 0 ? Double.NaN : random.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : 0.1;
            case 9 -> random.nextFloat();
            case 10 -> new BigDecimal(random.nextInt(1000)).movePointLeft(2);
            case 11 -> null;
            case 12 -> (byte) random.nextInt(100);
            case 13, 14 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
            default -> map(random, depth + 1);
        };
    }
}
