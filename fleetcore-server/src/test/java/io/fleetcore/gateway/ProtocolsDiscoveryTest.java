package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.protocol.DeviceProtocol;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocols come from META-INF/services, each built from its own keys fleetcore.<name>.*. */
class ProtocolsDiscoveryTest {

    @Test
    void theShippedProtocolsAndTheTestOnlyOneAreFound() {
        Protocols protocols = Protocols.discover(FleetcoreConfig.load(Map.of()));
        assertThat(protocols.all()).extracting(DeviceProtocol::name).containsExactlyInAnyOrder("json", "teltonika", "teltonika-udp", "gt06", "probe");
    }

    @Test
    void aProtocolReadsItsOwnKeysAndABadOneIsNamed() {
        assertThatThrownBy(() -> Protocols.discover(FleetcoreConfig.load(Map.of("fleetcore.teltonika.max-frame-bytes", "big"))))
                .hasMessage("configuration fleetcore.teltonika.max-frame-bytes (env FLEETCORE_TELTONIKA_MAX_FRAME_BYTES) must be an integer, got 'big'");
    }
}
