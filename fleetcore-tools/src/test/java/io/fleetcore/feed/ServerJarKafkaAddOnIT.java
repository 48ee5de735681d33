package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kafka feed (routes/feeds/kafka.camel.yaml copied into the route folder) with the server jar as built, which
 * has no Kafka client: without the add-on fleetcore-kafka.jar in the plugins folder the start is refused with a
 * message naming the add-on and the folder; with it, the feed route starts (there is no Kafka broker here, so
 * nothing is sent) and the server takes records.
 */
class ServerJarKafkaAddOnIT {

    @Test
    void theKafkaFeedNeedsTheAddOnAndStartsWithIt() throws Exception {
        Path dir = Path.of(TestServices.buildDir(), TestServices.unique("kafka-add-on")).toAbsolutePath();
        Path routes = copyRoutes(dir.resolve("routes"));
        Files.copy(Path.of("routes", "feeds", "kafka.camel.yaml"), routes.resolve("kafka.camel.yaml"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));

        Map<String, String> env = env(dir, routes, plugins, TestServices.freePort());
        try (JarProcess without = JarProcess.start(List.of(), env, dir.resolve("without-add-on.log"))) {
            assertThat(without.process().waitFor(180, TimeUnit.SECONDS)).as("the start fails:\n" + without.log()).isTrue();
            assertThat(without.process().exitValue()).isNotZero();
            assertThat(without.log()).contains("the Camel component 'kafka' is not in fleetcore.jar: it comes with the add-on"
                    + " fleetcore-kafka.jar; put that jar into the plugins folder " + plugins);
        }

        Files.copy(JarProcess.jar("fleetcore-kafka.jar"), plugins.resolve("fleetcore-kafka.jar"));
        int json = TestServices.freePort();
        env = env(dir, routes, plugins, json);
        try (JarProcess with = JarProcess.start(List.of(), env, dir.resolve("with-add-on.log"))) {
            with.awaitPort(json, Duration.ofSeconds(180));
            String frame = "{\"device_number\":\"kafka-add-on-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                    + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
            assertThat(RunningFleetcore.exchange(json, frame, 1, 15000)).isEqualTo("1");
            assertThat(with.log()).contains("plugins from " + plugins + ": [fleetcore-kafka.jar]")
                    .containsPattern("Started feed-kafka \\(fleetcore-feed://kafka\\)");
            assertThat(with.terminate(Duration.ofSeconds(60))).as(with.log()).isZero();
        }
    }

    /** Embedded defaults on a data dir of its own (one per start), the given routes and plugins folders. */
    private static Map<String, String> env(Path dir, Path routes, Path plugins, int json) {
        Map<String, String> settings = new HashMap<>();
        settings.put("fleetcore.db.url", "");
        settings.put("fleetcore.amqp.uri", "");
        settings.put("fleetcore.amqp.embedded-port", String.valueOf(TestServices.freePort()));
        settings.put("fleetcore.data-dir", dir.resolve(TestServices.unique("data")).toString());
        settings.put("fleetcore.bind-host", "127.0.0.1");
        settings.put("fleetcore.routes", routes.toString());
        settings.put("fleetcore.plugins", plugins.toString());
        settings.put("fleetcore.json.port", String.valueOf(json));
        for (String other : new String[] {"teltonika", "gt06", "management", "api"}) {
            settings.put("fleetcore." + other + ".port", String.valueOf(TestServices.freePort()));
        }
        Map<String, String> env = new HashMap<>();
        settings.forEach((k, v) -> env.put(FleetcoreConfig.envName(k), v));
        return env;
    }

    /** The repository's routes folder (with its shared and api folders), without the examples. */
    private static Path copyRoutes(Path target) throws IOException {
        Path source = Path.of("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(source.resolve("feeds"))).toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }
}
