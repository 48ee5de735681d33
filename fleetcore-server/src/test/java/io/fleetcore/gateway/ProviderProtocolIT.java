package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README "Adding a protocol" is true: the test-only probe protocol (its folder io/fleetcore/protocol/probe with
 * its nested Provider, one templatedRoute, its port key) is found and served end to end with no
 * line of Java outside its folder: a frame on its port becomes a row, answered once durable.
 */
class ProviderProtocolIT {

    @Test
    void aProtocolAddedByItsProviderFileTemplateInstanceAndPortKeyTakesAFrameEndToEnd() throws Exception {
        Path routes = routesWithProbeGateway();
        int port = TestServices.freePort();
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.routes", routes.toString(),
                "fleetcore.probe.port", String.valueOf(port)))) {
            String device = "probe-" + ProcessHandle.current().pid();
            String reply = RunningFleetcore.exchange(port, device + ",2026-12-01T10:00:00Z,37.9815116,23.7315200\n", 1, 5000);
            assertThat(reply).as("the probe protocol's ACK, once the row is committed").isEqualTo("K");
            try (Connection c = fc.db(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select fix_time, latitude, longitude, protocol from records where device_uid = '" + device + "'")) {
                assertThat(rs.next()).as("the row is there when the ACK is").isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).hasToString("2026-12-01T10:00:00Z");
                assertThat(rs.getDouble(2)).isCloseTo(37.9815116, within(1e-6));
                assertThat(rs.getDouble(3)).isCloseTo(23.7315200, within(1e-6));
                assertThat(rs.getString(4)).isEqualTo("probe");
                assertThat(rs.next()).isFalse();
            }
            assertThat(fc.count("select count(*) from devices where device_uid = '" + device + "' and protocol = 'probe'")).isEqualTo(1);
        }
    }

    /** A copy of the route folder (routes/) plus the probe's template instance (test resource probe-routes/). */
    static Path routesWithProbeGateway() throws IOException {
        Path shipped = Path.of("routes").toAbsolutePath(); // the tests run in the repository's root
        Path copy = Path.of(TestServices.buildDir(), TestServices.unique("routes-probe"));
        try (Stream<Path> files = Files.walk(shipped)) {
            files.forEach(p -> {
                try {
                    Files.copy(p, copy.resolve(shipped.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.copy(resource("probe-routes/probe-gateway.camel.yaml"), copy.resolve("probe-gateway.camel.yaml"));
        return copy;
    }

    private static Path resource(String name) {
        try {
            return Path.of(ProviderProtocolIT.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
