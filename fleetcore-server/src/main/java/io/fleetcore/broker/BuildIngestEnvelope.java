package io.fleetcore.broker;

import io.fleetcore.store.StoreRecordsProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code build-ingest-envelope} of the broker-first topology: a gateway's records (body
 * {@code List<DeviceRecord>}) become the same persistent JSON envelope the retry queue carries, with no
 * attempt counted, so the ingest consumer and the redelivery share one way of storing a queued message.
 */
public final class BuildIngestEnvelope implements Processor {

    @Override
    public void process(Exchange exchange) {
        BuildRetryEnvelope.setMessage(exchange, RetryEnvelope.accepted(StoreRecordsProcessor.records(exchange)));
    }
}
