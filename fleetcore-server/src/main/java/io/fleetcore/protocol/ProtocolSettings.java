package io.fleetcore.protocol;

/**
 * A protocol's own settings, {@code fleetcore.<name>.<key>} in the configuration (overridden by the environment's
 * {@code FLEETCORE_<NAME>_<KEY>} when the key is listed in application.properties); a protocol reads them by key
 * alone, so its folder needs nothing of the server's configuration classes.
 */
public interface ProtocolSettings {

    /** The integer value of {@code fleetcore.<name>.<key>}; a missing or malformed value fails naming the full key. */
    int getInt(String key);

    /** The value of {@code fleetcore.<name>.<key>}, or {@code defaultValue} when the key is not set. */
    String get(String key, String defaultValue);
}
