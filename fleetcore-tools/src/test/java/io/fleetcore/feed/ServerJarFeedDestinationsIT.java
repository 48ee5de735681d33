package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.JarProcess;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The example feeds of routes/feeds work from the server jar as built: Camel finds the kafka, paho-mqtt5 and http
 * components in it (an operator copies a route file and nothing else), and the Kafka client's zstd and snappy
 * natives stay out (lz4 stays: compression lz4, gzip or none).
 */
class ServerJarFeedDestinationsIT {

    @Test
    void theServerJarShipsTheExampleFeedsComponents() throws Exception {
        try (ZipFile jar = new ZipFile(JarProcess.jar().toFile())) {
            for (String component : new String[] {"kafka", "paho-mqtt5", "http"}) {
                assertThat(jar.getEntry("META-INF/services/org/apache/camel/component/" + component))
                        .as("Camel component %s in fleetcore.jar", component).isNotNull();
            }
            assertThat(jar.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class")).isNotNull();
            assertThat(jar.stream().map(e -> e.getName())
                    .filter(n -> n.contains("libzstd-jni") || n.contains("libsnappyjava")).toList()).isEmpty();
        }
    }
}
