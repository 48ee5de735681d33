package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code read-envelope} of the redelivery route: a message from the retry queue (JSON
 * {@link RetryEnvelope}) becomes the {@code List<DeviceRecord>} body {@code direct:ingest} expects, marked as
 * a redelivery so a failure comes back here instead of being dead-lettered again.
 */
public final class ReadRetryEnvelope implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        byte[] json = exchange.getMessage().getMandatoryBody(byte[].class);
        RetryEnvelope envelope = RetryEnvelope.fromJson(json);
        exchange.setProperty(ExchangeNames.ENVELOPE, envelope);
        exchange.setProperty(ExchangeNames.REDELIVERY, true);
        exchange.setProperty(ExchangeNames.RECORD_COUNT, envelope.records().size());
        if (envelope.device() != null) {
            exchange.getMessage().setHeader(ExchangeNames.DEVICE, envelope.device());
        }
        exchange.getMessage().setBody(envelope.records());
    }
}
