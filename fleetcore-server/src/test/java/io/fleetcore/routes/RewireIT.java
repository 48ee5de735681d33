package io.fleetcore.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Route files are configuration: a copy of the route folder, edited by hand (one step added to a YAML file,
 * one XML route file dropped beside them), runs with the new behaviour and no rebuild.
 */
class RewireIT {

    @Test
    void anEditedCopyOfTheRouteFolderRewiresFleetcore() throws Exception {
        Path copy = Path.of(TestServices.buildDir(), TestServices.unique("rewired-routes")).toAbsolutePath();
        Path tapped = Path.of(TestServices.buildDir(), TestServices.unique("tapped")).toAbsolutePath();
        copyTree(Path.of("routes"), copy);

        // edit: every stored exchange is also wire-tapped to a route of the XML file below
        Path ingest = copy.resolve("shared/ingest.camel.yaml");
        String yaml = Files.readString(ingest);
        String store = """
                        - process:
                            id: store-records
                            ref: storeRecords
                """;
        assertThat(yaml).contains(store);
        Files.writeString(ingest, yaml.replace(store, store + """
                        - wireTap:
                            id: tap-stored
                            uri: direct:tap-stored
                """));
        Files.writeString(copy.resolve("tap.xml"), """
                <routes xmlns="http://camel.apache.org/schema/xml-io">
                  <route id="tap-stored-to-file" description="Writes the device of every stored exchange to a file (added by an operator)">
                    <from id="tap-in" uri="direct:tap-stored"/>
                    <setBody id="device-as-body"><simple>${header.fleetcoreDevice}</simple></setBody>
                    <to id="write-tap-file" uri="file:%s?fileName=${exchangeId}.txt"/>
                  </route>
                </routes>
                """.formatted(tapped));

        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.routes", copy.toString()))) {
            assertThat(fc.server().camelContext().getRoute("tap-stored-to-file")).as("XML route loaded").isNotNull();
            String packet = "{\"device_number\":\"rewired-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                    + "\"latitude\":\"37.98\",\"longitude\":\"23.73\"}";
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 10000)).isEqualTo("1");
            List<String> contents = List.of();
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
                if (Files.isDirectory(tapped)) {
                    try (Stream<Path> files = Files.list(tapped)) {
                        contents = files.map(RewireIT::read).toList();
                    }
                    if (!contents.isEmpty()) {
                        break;
                    }
                }
            }
            assertThat(contents).containsExactly("rewired-1");
            assertThat(fc.count("select count(*) from records where device_uid = 'rewired-1'")).isEqualTo(1);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
