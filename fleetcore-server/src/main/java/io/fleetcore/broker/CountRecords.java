package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import java.util.function.IntConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Route steps {@code count-dead-lettered}, {@code count-redelivered}, {@code count-parked}: feeds a metrics counter. */
public final class CountRecords implements Processor {

    private final IntConsumer counter;

    public CountRecords(IntConsumer counter) {
        this.counter = counter;
    }

    @Override
    public void process(Exchange exchange) {
        counter.accept(exchange.getProperty(ExchangeNames.RECORD_COUNT, 0, Integer.class));
    }
}
