package io.fleetcore.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Broker-first lets gateways and storage run as separate processes of the same jar: one instance without the
 * ingest consumer, one without the gateways, sharing the database and the broker's queues.
 */
class SplitTopologyIT {

    @Test
    void gatewayOnlyAndIngestOnlyInstancesTogetherStoreEveryAckedRecord() throws Exception {
        Map<String, String> shared = new HashMap<>();
        shared.put("fleetcore.routes", "routes/broker-first");
        shared.put("fleetcore.db.url", TestServices.newDatabase());
        shared.put("fleetcore.amqp.uri", TestServices.amqpUri());
        shared.put("fleetcore.amqp.exchange", TestServices.unique("fleetcore"));
        shared.put("fleetcore.amqp.retry-queue", TestServices.unique("fleetcore.retry"));
        shared.put("fleetcore.amqp.parked-queue", TestServices.unique("fleetcore.parked"));
        shared.put("fleetcore.amqp.ingest-queue", TestServices.unique("fleetcore.ingest"));

        Map<String, String> gatewayOnly = new HashMap<>(shared);
        gatewayOnly.put("fleetcore.routes-exclude", "**/ingest-consumer.camel.yaml");
        Map<String, String> ingestOnly = new HashMap<>(shared);
        ingestOnly.put("fleetcore.routes-exclude", "**/*-gateway.camel.yaml");

        try (RunningFleetcore gateway = RunningFleetcore.start(gatewayOnly)) {
            try {
                assertThat(gateway.server().camelContext().getRoute("json-gateway")).isNotNull();
                assertThat(gateway.server().camelContext().getRoute("ingest-consumer")).isNull();
                StringBuilder payload = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    payload.append("{\"device_number\":\"split-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:")
                            .append(String.format("%02d", i)).append("\",\"latitude\":\"37.98\",\"longitude\":\"23.73\"}");
                }
                assertThat(RunningFleetcore.exchange(gateway.jsonPort(), payload.toString(), 20, 10000)).isEqualTo("1".repeat(20));
                assertThat(gateway.count("select count(*) from records where device_uid = 'split-1'"))
                        .as("nothing stored without an ingest consumer").isZero();

                try (RunningFleetcore ingest = RunningFleetcore.start(ingestOnly)) {
                    assertThat(ingest.server().camelContext().getRoute("json-gateway")).isNull();
                    assertThat(ingest.server().camelContext().getRoute("ingest-consumer")).isNotNull();
                    assertThat(ingest.awaitCount("select count(*) from records where device_uid = 'split-1'", 20)).isEqualTo(20);
                }
            } finally {
                io.fleetcore.testing.TestBroker.delete(gateway.topology());
            }
        }
    }
}
