package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.protocol.DeviceProtocol;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocols come from their folders (each one's nested Provider), each built from its own keys fleetcore.<name>.*. */
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

    /** A shaded jar has no directory entries: the providers are found among its file entries, one folder deep. */
    @Test
    void providersAreFoundInAJarWithoutDirectoryEntries(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("shaded.jar");
        try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar.toFile()))) {
            for (String entry : new String[] {"io/fleetcore/protocol/probe/ProbeProtocol$Provider.class",
                    "io/fleetcore/protocol/probe/ProbeProtocol.class", "io/fleetcore/protocol/ProtocolProvider.class",
                    "io/fleetcore/protocol/probe/deeper/Other$Provider.class", "io/fleetcore/gateway/Protocols.class"}) {
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = getClass().getClassLoader().getResourceAsStream("io/fleetcore/protocol/ProtocolProvider.class")) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(ProtocolFolders.inJar(file)).containsExactly("io.fleetcore.protocol.probe.ProbeProtocol$Provider");
        }
    }
}
