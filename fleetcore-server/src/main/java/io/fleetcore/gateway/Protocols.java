package io.fleetcore.gateway;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceEvents;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.model.IoNames;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolProvider;
import io.fleetcore.protocol.ProtocolSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The protocols the gateways serve, by name; route steps find an exchange's by its property {@link ExchangeNames#PROTOCOL};
 * the record store asks it which device events a record raises, the read API how a record's IO is named.
 */
public final class Protocols implements DeviceEvents, IoNames {

    private final Map<String, DeviceProtocol> byName = new LinkedHashMap<>();

    public Protocols(List<DeviceProtocol> protocols) {
        for (DeviceProtocol p : protocols) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two protocols named " + p.name());
            }
        }
    }

    /**
     * Every protocol in its folder: each {@code io.fleetcore.protocol.<folder>.<Protocol>$Provider} on the class path
     * ({@link ProtocolFolders}), built from its keys {@code fleetcore.<name>.*}. Adding a protocol needs no line
     * here, in the runtime or in any list.
     */
    public static Protocols discover(FleetcoreConfig config) {
        List<DeviceProtocol> found = new ArrayList<>();
        for (ProtocolProvider provider : ProtocolFolders.providers(Protocols.class.getClassLoader())) {
            DeviceProtocol protocol = provider.create(settings(config, "fleetcore." + provider.name() + "."));
            if (!protocol.name().equals(provider.name())) {
                throw new IllegalStateException(provider.getClass().getName() + " is named " + provider.name()
                        + " but creates protocol " + protocol.name());
            }
            found.add(protocol);
        }
        return new Protocols(found);
    }

    private static ProtocolSettings settings(FleetcoreConfig config, String prefix) {
        return new ProtocolSettings() {
            @Override
            public int getInt(String key) {
                return config.getInt(prefix + key);
            }

            @Override
            public String get(String key, String defaultValue) {
                return config.get(prefix + key, defaultValue);
            }
        };
    }

    public List<DeviceProtocol> all() {
        return List.copyOf(byName.values());
    }

    /** The protocol of the exchange's gateway, or null outside a gateway (a redelivered exchange). */
    public DeviceProtocol of(Exchange exchange) {
        Object name = exchange.getProperty(ExchangeNames.PROTOCOL);
        return name == null ? null : byName.get(name.toString());
    }

    /** The events a record raises, as its protocol says (none for a protocol this instance does not serve). */
    @Override
    public List<DeviceEvent> raisedBy(DeviceRecord record) {
        DeviceProtocol p = byName.get(record.protocol());
        return p == null ? List.of() : p.events(record);
    }

    /** A record's named IO, as its protocol names it (none for a protocol this instance does not serve). */
    @Override
    public Map<String, Object> name(String protocol, Map<String, Object> io) {
        DeviceProtocol p = byName.get(protocol);
        return p == null ? Map.of() : p.nameIo(io);
    }
}
