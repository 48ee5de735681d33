package io.fleetcore.protocol;

/**
 * How the server finds a protocol: {@link java.util.ServiceLoader} reads the classes named in
 * {@code META-INF/services/io.fleetcore.protocol.ProtocolProvider} and asks each for its protocol, built from its
 * own settings ({@code fleetcore.<name>.*}). The gateway route template then serves it by its name.
 */
public interface ProtocolProvider {

    /** The protocol's name: the prefix of its settings ({@code fleetcore.<name>.}) and of its gateway beans. */
    String name();

    /** The protocol, configured from {@code settings} (keys without the {@code fleetcore.<name>.} prefix). */
    DeviceProtocol create(ProtocolSettings settings);
}
