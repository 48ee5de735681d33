package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route steps {@code mark-published-durable} (ingest queue) and {@code mark-dead-lettered-durable} (retry queue):
 * the broker confirmed the publish, so the records are durable; the device's reply step reads how many
 * ({@link ExchangeNames#RECORDS_DURABLE}).
 */
public final class MarkPublishedDurable implements Processor {

    @Override
    public void process(Exchange exchange) {
        Integer count = exchange.getProperty(ExchangeNames.RECORD_COUNT, Integer.class);
        if (count == null) {
            throw new IllegalStateException("mark-published-durable: no record count on the exchange");
        }
        exchange.setProperty(ExchangeNames.RECORDS_DURABLE, count);
    }
}
