package io.fleetcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A protocol is pure code: the compiled classes of {@code protocol/} reference nothing of {@code store/},
 * {@code broker/}, {@code gateway/} or {@code obd/}. A plain classpath scan: every class file's constant pool
 * names the classes it uses ({@code io/fleetcore/store/...}). No exception: Camel steps live with the gateway.
 */
class ProtocolImportsTest {

    static final List<String> FORBIDDEN = List.of("io/fleetcore/store/", "io/fleetcore/broker/", "io/fleetcore/gateway/", "io/fleetcore/obd/");

    static Set<String> violations(String underProtocol) {
        Path root;
        try {
            root = Path.of(ProtocolImportsTest.class.getClassLoader().getResource("io/fleetcore/protocol/ProtocolException.class").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve(underProtocol))) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                String name = root.relativize(file).toString().replace('\\', '/').replace(".class", "").replaceAll("\\$.*", "");
                for (String forbidden : FORBIDDEN) {
                    if (pool.contains(forbidden)) {
                        found.add(name + " -> " + forbidden);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Test
    void protocolUsesNothingOfStoreBrokerGatewayOrObd() {
        assertThat(violations("")).isEmpty();
    }

    @Test
    void theScanFindsAUseOfAForbiddenPackage() {
        // the same scan over the gateway, which may use the store, must see that use
        assertThat(violations("../gateway")).contains("../gateway/KeepUnstorableFrameProcessor -> io/fleetcore/store/");
    }
}
