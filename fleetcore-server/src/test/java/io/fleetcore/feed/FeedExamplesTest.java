package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example feeds in {@code routes/feeds} are not loaded by default (the include pattern covers the route
 * folder and its {@code shared} folder only). Each one parses, builds its route on the fleetcore-feed component,
 * and its destination endpoint resolves from the components shipped in the jar (nothing is connected).
 */
class FeedExamplesTest {

    static Stream<Path> examples() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes", "feeds"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("http.camel.yaml", "kafka.camel.yaml", "mqtt.camel.yaml");
        return files.stream();
    }

    /**
     * An example is enabled by copying it beside the other route files, and Camel refuses a start with an id twice
     * among all routes: no id of an example is the id of a route or step in the repository's other route files
     * (the examples had copied the records feed's step ids, and a copied example stopped the start).
     */
    @ParameterizedTest
    @MethodSource("examples")
    void exampleIdsDifferFromTheIdsOfTheRoutesItIsCopiedBeside(Path file) throws Exception {
        java.util.Set<String> others = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.walk(Path.of("routes"))) {
            for (Path other : s.filter(p -> p.toString().endsWith(".camel.yaml") && !p.startsWith(Path.of("routes", "feeds"))).toList()) {
                others.addAll(ids(other));
            }
        }
        assertThat(others).as("ids of the other route files").contains("group-records-by-device", "feed-records");
        assertThat(ids(file)).isNotEmpty().doesNotContainAnyElementsOf(others);
    }

    private static List<String> ids(Path file) throws Exception {
        return java.util.regex.Pattern.compile("(?m)^\\s*(?:- )?id: *\"?([\\w-]+)").matcher(Files.readString(file)).results()
                .map(m -> m.group(1)).toList();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleParsesAndItsEndpointsResolve(Path file) throws Exception {
        String scheme = file.getFileName().toString().replace(".camel.yaml", "");
        String feed = file.getFileName().toString().replace(".camel.yaml", "");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("fleetcore-feed", new FeedComponent(null,
                    new FeedMeters(new SimpleMeterRegistry(), Duration.ofSeconds(1), Duration.ofMinutes(5), Clock.systemUTC())));
            camel.getPropertiesComponent().addInitialProperty("fleetcore.dead-letter-uri", "direct:dead-letter");
            camel.setAutoStartup(false);
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.fromString("dead-letter-channel.camel.yaml",
                            Files.readString(Path.of("routes", "shared", "dead-letter-channel.camel.yaml"))),
                    ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
            camel.start();

            Route route = camel.getRoute("feed-" + feed);
            assertThat(route).as("route feed-" + feed).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus(route.getRouteId())).isEqualTo(ServiceStatus.Stopped);
            FeedEndpoint from = (FeedEndpoint) route.getEndpoint();
            assertThat(from.getName()).isEqualTo(feed);
            assertThat(from.getSource()).isEqualTo("records");
            assertThat(camel.getEndpoints()).extracting(Endpoint::getEndpointUri)
                    .anyMatch(uri -> uri.startsWith(switch (feed) {
                        case "kafka" -> "kafka://fleetcore.records";
                        case "mqtt" -> "paho-mqtt5://fleetcore/records";
                        default -> "http://localhost:8081/records";
                    }));
        }
    }
}
