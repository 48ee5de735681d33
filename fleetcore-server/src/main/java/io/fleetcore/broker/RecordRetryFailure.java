package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code record-refusal} of the redelivery route, for a store the database refused (not one it
 * could not attempt): counts the attempt in the envelope and decides {@code park} (attempts used up, or not an
 * envelope at all) or {@code retry} after a back-off delay.
 */
public final class RecordRetryFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordRetryFailure.class);

    private final int maxAttempts;
    private final BackOff backOff;

    public RecordRetryFailure(int maxAttempts, BackOff backOff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("fleetcore.max-attempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.backOff = backOff;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RetryEnvelope before = exchange.getProperty(ExchangeNames.ENVELOPE, RetryEnvelope.class);
        if (before == null) {
            LOG.error("unreadable message on the retry queue, parking it as it is: {}", RetryEnvelope.describe(error));
            exchange.setProperty(ExchangeNames.RETRY_DECISION, ExchangeNames.PARK);
            exchange.setProperty(ExchangeNames.RECORD_COUNT, 0);
            return;
        }
        RetryEnvelope after = before.refusedAgain(error);
        BuildRetryEnvelope.setMessage(exchange, after);
        boolean park = after.attempts() >= maxAttempts;
        exchange.setProperty(ExchangeNames.RETRY_DECISION, park ? ExchangeNames.PARK : ExchangeNames.RETRY);
        exchange.setProperty(ExchangeNames.RETRY_DELAY_MS, park ? 0L : backOff.after(after.attempts()).toMillis());
        LOG.warn("device {}: {} record(s) refused by the database, attempt {}/{}: {}{}", after.device(),
                after.records().size(), after.attempts(), maxAttempts, after.lastError(), park ? " - parking them" : "");
    }
}
