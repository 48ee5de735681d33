package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.store.StorageFailures;
import io.fleetcore.store.StoreRecordsProcessor;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Route step {@code build-envelope} of the dead-letter route: the records whose storing just failed
 * (body {@code List<DeviceRecord>}, cause in {@link Exchange#EXCEPTION_CAUGHT}) become a persistent JSON
 * {@link RetryEnvelope} message body.
 */
public final class BuildRetryEnvelope implements Processor {

    private final Clock clock;

    public BuildRetryEnvelope(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RetryEnvelope envelope = RetryEnvelope.firstFailure(StoreRecordsProcessor.records(exchange), error,
                !StorageFailures.isUnavailable(error), clock.instant());
        setMessage(exchange, envelope);
    }

    /** Body: the envelope's JSON; persistent delivery; the record count for the metrics step. */
    static void setMessage(Exchange exchange, RetryEnvelope envelope) {
        exchange.setProperty(ExchangeNames.ENVELOPE, envelope);
        exchange.setProperty(ExchangeNames.RECORD_COUNT, envelope.records().size());
        exchange.getMessage().setBody(envelope.toJson());
        exchange.getMessage().setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        exchange.getMessage().setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        if (envelope.device() != null) {
            exchange.getMessage().setHeader(ExchangeNames.DEVICE, envelope.device());
        }
    }
}
