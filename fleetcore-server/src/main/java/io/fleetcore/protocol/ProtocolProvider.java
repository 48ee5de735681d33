package io.fleetcore.protocol;

import java.util.function.Function;

/**
 * How the server finds a protocol: in its folder, {@code io.fleetcore.protocol.<folder>}, a class
 * {@code Provider} nested in the protocol's class, with a no-argument constructor that passes its name and how to
 * build it. The server finds every such class on the class path and asks each for its protocol, built from its own
 * settings ({@code fleetcore.<name>.*}); the gateway route template then serves it by its name.
 */
public abstract class ProtocolProvider {

    private final String name;
    private final Function<ProtocolSettings, DeviceProtocol> factory;

    /** @param factory the protocol, configured from its settings (keys without the {@code fleetcore.<name>.} prefix) */
    protected ProtocolProvider(String name, Function<ProtocolSettings, DeviceProtocol> factory) {
        this.name = name;
        this.factory = factory;
    }

    /** The protocol's name: the prefix of its settings ({@code fleetcore.<name>.}) and of its gateway beans. */
    public final String name() {
        return name;
    }

    /** The protocol, configured from {@code settings}. */
    public final DeviceProtocol create(ProtocolSettings settings) {
        return factory.apply(settings);
    }
}
