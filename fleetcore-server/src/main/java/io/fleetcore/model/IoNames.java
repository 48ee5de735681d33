package io.fleetcore.model;

import java.util.Map;

/** Names a stored record's raw {@code io} as its protocol does: the view column {@code io_named} of schema {@code api}. */
@FunctionalInterface
public interface IoNames {

    /** The named values of {@code io} (id as text → raw value) of a record of {@code protocol}; empty when it names none. */
    Map<String, Object> name(String protocol, Map<String, Object> io);
}
