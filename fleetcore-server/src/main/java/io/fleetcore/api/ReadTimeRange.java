package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code read-time-range}: query parameters {@code from} (inclusive) and {@code to} (exclusive),
 * ISO-8601, into headers {@link ExchangeNames#API_FROM} and {@link ExchangeNames#API_TO}. {@code to} defaults to now, {@code from} to
 * {@code to} minus the default range; a range longer than the maximum, or empty, is refused.
 */
public final class ReadTimeRange implements Processor {

    private final Duration defaultRange;
    private final Duration maxRange;
    private final Clock clock;

    public ReadTimeRange(Duration defaultRange, Duration maxRange, Clock clock) {
        this.defaultRange = defaultRange;
        this.maxRange = maxRange;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Instant to = ApiParameters.instant("to", in.getHeader("to", String.class), clock.instant());
        Instant from = ApiParameters.instant("from", in.getHeader("from", String.class), to.minus(defaultRange));
        if (!from.isBefore(to)) {
            throw ApiProblem.badRequest("from must be earlier than to");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw ApiProblem.badRequest("the time range from " + from + " to " + to + " is longer than the maximum of "
                    + maxRange.toHours() + " hours; ask in several requests");
        }
        in.setHeader(ExchangeNames.API_FROM, from.toString());
        in.setHeader(ExchangeNames.API_TO, to.toString());
    }
}
