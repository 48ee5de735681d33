package io.fleetcore.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fleetcore.model.IoNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code name-io}: gives each row of a page of positions its {@code io_named}, named here by the
 * record's protocol instead of by the views' SQL function {@code api.io_named} (one function call per row,
 * 20–80 µs of PostgreSQL's time, as much as or more than the rest of a 1,000-row page). The page query selects
 * every column of the view except {@code io_named} as the row's {@code doc} (its JSON object, made by
 * PostgreSQL), plus the row's {@code protocol} and {@code io}; this step gives the row {@code "io_named"} as the
 * last member of its doc ({@link WritePage#MORE}, which {@code write-page} adds while it writes the page, so the
 * doc is not copied here), written as PostgreSQL writes the view's jsonb column (keys in jsonb's order,
 * {@code ": "} and {@code ", "}, decimals of PostgreSQL's scale), so a page is byte for byte what {@code to_json}
 * of the view's rows gives.
 */
public final class NameIo implements Processor {

    /** Raw io as stored: whole numbers as Integer/Long/BigInteger, any fraction as BigDecimal (as jsonb keeps it). */
    private static final ObjectReader IO = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build().readerForMapOf(Object.class);

    /** jsonb's key order: shorter keys first, then by their bytes (names are ASCII). */
    private static final Comparator<String> JSONB_KEYS = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private final IoNames names;

    public NameIo(IoNames names) {
        this.names = names;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        StringBuilder json = new StringBuilder(512);
        for (Map<String, Object> row : rows) {
            Object io = row.get("io");
            Object protocol = row.get("protocol");
            Map<String, Object> named = io == null || protocol == null ? Map.of()
                    : names.name(protocol.toString(), IO.readValue(io.toString()));
            json.setLength(0);
            row.put(WritePage.MORE, jsonb(named, json.append(",\"io_named\":")).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A flat map as PostgreSQL's jsonb output writes it. */
    static StringBuilder jsonb(Map<String, Object> map, StringBuilder out) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(JSONB_KEYS);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            text(keys.get(i), out).append(": ");
            Object value = map.get(keys.get(i));
            if (value instanceof String s) {
                text(s, out);
            } else if (value instanceof java.math.BigDecimal d) {
                out.append(d.toPlainString());
            } else {
                out.append(value);
            }
        }
        return out.append('}');
    }

    private static StringBuilder text(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
