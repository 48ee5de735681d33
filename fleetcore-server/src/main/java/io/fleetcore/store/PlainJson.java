package io.fleetcore.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the maps of a record's OBD and IO values as JSON without Jackson, for the shapes they take (string keys;
 * integers, finite doubles, booleans, plain strings, lists and maps of those): byte for byte what
 * {@link RecordJson#MAPPER} writes (keys sorted, no spaces, {@code Double.toString}), because the IO text is part
 * of the content hash. Anything else (a string that needs escaping, NaN, a float, a big number, another type)
 * makes it give up, and the caller asks Jackson. {@code PlainJsonTest} compares both over random maps.
 */
final class PlainJson {

    private PlainJson() {
    }

    /** Appends {@code map} as JSON; false (with {@code out} in an undefined state) when Jackson has to do it. */
    static boolean map(StringBuilder out, Map<?, ?> map) {
        String[] keys = new String[map.size()];
        int i = 0;
        for (Object k : map.keySet()) {
            if (!(k instanceof String s) || !plain(s)) {
                return false;
            }
            keys[i++] = s;
        }
        Arrays.sort(keys); // what ORDER_MAP_ENTRIES_BY_KEYS does (a TreeMap of the entries)
        out.append('{');
        for (int j = 0; j < keys.length; j++) {
            if (j > 0) {
                out.append(',');
            }
            out.append('"').append(keys[j]).append("\":");
            if (!value(out, map.get(keys[j]))) {
                return false;
            }
        }
        out.append('}');
        return true;
    }

    private static boolean value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.append(((Number) v).longValue());
        } else if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                return false; // Jackson quotes NaN and Infinity
            }
            out.append(d.doubleValue());
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof String s) {
            if (!plain(s)) {
                return false;
            }
            out.append('"').append(s).append('"');
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (!value(out, list.get(i))) {
                    return false;
                }
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> m) {
            return map(out, m);
        } else {
            return false;
        }
        return true;
    }

    /** Printable ASCII without {@code "} and {@code \\}: written as is by Jackson, no escape. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
