package io.fleetcore.feed;

import io.fleetcore.model.ExchangeNames;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Polls its {@link Feed}: each poll delivers at most one batch through the route and returns its size, so
 * with {@code greedy=true} a backlog is worked off batch after batch and an idle feed waits {@code delay}. A
 * failed exchange fails the poll (Camel's back-off options apply) and the batch comes again.
 */
final class FeedConsumer extends ScheduledPollConsumer {

    private final Feed feed;
    private final FeedMeters meters;

    FeedConsumer(FeedEndpoint endpoint, Processor processor, Feed feed, FeedMeters meters) {
        super(endpoint, processor);
        this.feed = feed;
        this.meters = meters;
    }

    @Override
    protected void doStart() throws Exception {
        meters.register(feed);
        super.doStart();
    }

    @Override
    protected int poll() throws Exception {
        int n = feed.deliverNext(this::send);
        if (n > 0) {
            meters.delivered(feed.name(), n);
        }
        meters.refresh(feed);
        return Math.max(n, 0);
    }

    private void send(List<FeedItem> items) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setHeader(ExchangeNames.FEED, feed.name());
            exchange.getMessage().setBody(items);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
