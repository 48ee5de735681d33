package io.fleetcore.broker;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.store.Continuations;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Route step {@code publish-ingest} of the broker-first topology: publishes the exchange's body (the ingest
 * envelope) like {@link ConfirmedPublisher#publish}, persistent and mandatory, but without holding the gateway's
 * thread while the broker confirms: the exchange continues once the message is confirmed <em>and</em> routed,
 * and fails (no ACK) on a nack, a return, a broken channel or no confirm within the timeout. Thousands of
 * devices can wait for their confirms at once. The continuation runs on {@code continuations}, never on the
 * AMQP client's thread that delivered the confirm, so a slow step after it cannot hold up other confirms.
 * Replies on one connection stay in order: the gateway hands a connection's next frame to the route only
 * after the previous reply was written; and a device's messages take one publishing channel (its header
 * {@link ExchangeNames#DEVICE} is the order key), so they reach the ingest queue in the order published.
 */
public final class PublishConfirmedProcessor extends AsyncProcessorSupport implements AsyncProcessor {

    private final ConfirmedPublisher publisher;
    private final String exchangeName;
    private final String routingKey;
    private final Executor continuations;
    private final LongConsumer confirmNanos;

    /** {@code confirmNanos}: the time from publish to confirm of each message (metrics). */
    public PublishConfirmedProcessor(ConfirmedPublisher publisher, String exchangeName, String routingKey,
                                     Executor continuations, LongConsumer confirmNanos) {
        this.publisher = publisher;
        this.exchangeName = exchangeName;
        this.routingKey = routingKey;
        this.continuations = continuations;
        this.confirmNanos = confirmNanos;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        byte[] body;
        try {
            body = exchange.getMessage().getMandatoryBody(byte[].class);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        long published = System.nanoTime();
        Object device = exchange.getMessage().getHeader(ExchangeNames.DEVICE);
        publisher.publishAsync(body, exchangeName, routingKey, device).whenComplete((ok, failure) -> {
            confirmNanos.accept(System.nanoTime() - published);
            Continuations.resume(continuations, () -> {
                if (failure != null) {
                    exchange.setException(failure);
                }
                callback.done(false);
            });
        });
        return false;
    }
}
