package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.JarProcess;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The example feeds of routes/feeds work from the jars as built: Camel finds the paho-mqtt5 and http components in
 * the server jar (an operator copies a route file and nothing else), and the kafka component with the Kafka client
 * in the add-on fleetcore-kafka.jar (plugins folder), not in the server jar; the Kafka client's zstd and snappy
 * natives stay out (lz4 stays: compression lz4, gzip or none).
 */
class ServerJarFeedDestinationsIT {

    @Test
    void theServerJarShipsTheExampleFeedsComponents() throws Exception {
        try (ZipFile jar = new ZipFile(JarProcess.jar().toFile())) {
            for (String component : new String[] {"paho-mqtt5", "http"}) {
                assertThat(jar.getEntry("META-INF/services/org/apache/camel/component/" + component))
                        .as("Camel component %s in fleetcore.jar", component).isNotNull();
            }
            assertThat(jar.getEntry("META-INF/services/org/apache/camel/component/kafka")).as("kafka: an add-on").isNull();
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/apache/kafka/")
                    || n.startsWith("net/jpountz/")).toList()).isEmpty();
        }
    }

    @Test
    void theKafkaAddOnShipsTheKafkaComponentAndClientOnly() throws Exception {
        try (ZipFile jar = new ZipFile(JarProcess.jar("fleetcore-kafka.jar").toFile())) {
            assertThat(jar.getEntry("META-INF/services/org/apache/camel/component/kafka")).isNotNull();
            assertThat(jar.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class")).isNotNull();
            assertThat(jar.getEntry("net/jpountz/lz4/LZ4Factory.class")).isNotNull();
            assertThat(jar.stream().map(e -> e.getName())
                    .filter(n -> n.contains("libzstd-jni") || n.contains("libsnappyjava")).toList()).isEmpty();
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                    .filter(n -> !n.startsWith("org/apache/kafka/") && !n.startsWith("org/apache/camel/component/kafka/")
                            && !n.startsWith("net/jpountz/") && !n.startsWith("org/apache/camel/processor/idempotent/kafka/")
                            && !n.startsWith("org/apache/camel/processor/resume/kafka/"))
                    .toList()).as("nothing the server jar has already").isEmpty();
        }
    }
}
