package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code mark-published-durable}: the broker confirmed the ingest-queue publish, so the records
 * are durable; the gateway's ACK step reads how many ({@link ExchangeNames#RECORDS_DURABLE}).
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
