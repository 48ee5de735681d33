package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.ExchangeNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Once its batch is done, an exchange continues on the executor it was given, not on the store's ack thread. */
class StoreRecordsProcessorTest {

    @Test
    void theExchangeContinuesOnTheContinuationExecutor() {
        ConcurrentLinkedQueue<Runnable> continuations = new ConcurrentLinkedQueue<>();
        List<Boolean> done = new ArrayList<>();
        try (RecordStore store = new RecordStore(null, 10, Duration.ofMillis(1), 100)) {
            StoreRecordsProcessor step = new StoreRecordsProcessor(store, Duration.ofSeconds(1), continuations::add);
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setBody(List.of()); // nothing to write: the store completes at once

            assertThat(step.process(exchange, done::add)).isFalse();
            assertThat(done).as("not continued on the completing thread").isEmpty();
            assertThat(continuations).hasSize(1);
            continuations.poll().run();
            assertThat(done).containsExactly(false);
            assertThat(exchange.getProperty(ExchangeNames.RECORDS_DURABLE, Integer.class)).isZero();
        }
    }
}
