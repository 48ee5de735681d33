package io.fleetcore.protocol.gt06;

import io.fleetcore.model.Keys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical names the GT06 decoder writes into a record's {@code io} itself (docs/protocols/gt06.md): its
 * named IO is those entries as they are, the protocol's own keys ({@code terminal_info}, {@code alarm_code},
 * {@code voltage_level}, …) left out. The view column {@code io_named} names GT06 records with the same list
 * ({@code api.io_names}, migration V12; a test keeps the two equal).
 */
public final class Gt06Io {

    /** The keys of a GT06 record's io that are canonical names. */
    public static final List<String> NAMED = List.of(Keys.IGNITION, Keys.CHARGING, Keys.GSM_SIGNAL,
            Keys.EXTERNAL_VOLTAGE_V, Keys.MCC, Keys.MNC, Keys.LAC, Keys.CELL_ID, Keys.GNSS_FIXED);

    private Gt06Io() {
    }

    /** The canonical entries of a GT06 record's raw {@code io}, in the raw map's order, values as they are. */
    public static Map<String, Object> name(Map<String, Object> io) {
        Map<String, Object> named = new LinkedHashMap<>();
        io.forEach((key, value) -> {
            if (NAMED.contains(key)) {
                named.put(key, value);
            }
        });
        return named;
    }
}
