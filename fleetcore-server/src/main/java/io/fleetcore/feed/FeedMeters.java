package io.fleetcore.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per feed: {@code fleetcore_feed_delivered_total{feed}}, {@code fleetcore_feed_lag_records{feed}} and
 * {@code fleetcore_feed_lag_seconds{feed}}. The lag is measured after a poll, at most once per
 * {@code refreshEvery}; the latest status also feeds the feed's health check.
 */
public final class FeedMeters {

    private static final Logger LOG = LoggerFactory.getLogger(FeedMeters.class);

    private final MeterRegistry registry;
    private final Duration refreshEvery;
    private final Duration stuckAfter;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public FeedMeters(MeterRegistry registry, Duration refreshEvery, Duration stuckAfter, Clock clock) {
        this.registry = registry;
        this.refreshEvery = refreshEvery;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    /** What is known of one feed. */
    static final class State {
        final Counter delivered;
        volatile long lagRecords;
        volatile double lagSeconds;
        volatile Feed.Status status;
        volatile Instant refreshedAt = Instant.EPOCH;
        volatile Instant progressAt;

        State(Counter delivered, Instant now) {
            this.delivered = delivered;
            this.progressAt = now;
        }
    }

    void register(Feed feed) {
        state(feed.name());
    }

    private State state(String feed) {
        return states.computeIfAbsent(feed, f -> {
            State s = new State(Counter.builder("fleetcore.feed.delivered").description("rows a feed's destination confirmed")
                    .tag("feed", f).register(registry), clock.instant());
            Gauge.builder("fleetcore.feed.lag.records", s, x -> x.lagRecords).description("rows stored but not yet delivered")
                    .tag("feed", f).register(registry);
            Gauge.builder("fleetcore.feed.lag.seconds", s, x -> x.lagSeconds)
                    .description("age of the oldest row not yet delivered").tag("feed", f).register(registry);
            return s;
        });
    }

    void delivered(String feed, int n) {
        State s = state(feed);
        s.delivered.increment(n);
        s.progressAt = clock.instant();
    }

    /** Measures the lag when the last measurement is older than {@code refreshEvery}; never throws. */
    void refresh(Feed feed) {
        State s = state(feed.name());
        Instant now = clock.instant();
        if (Duration.between(s.refreshedAt, now).compareTo(refreshEvery) < 0) {
            return;
        }
        s.refreshedAt = now;
        try {
            Feed.Status status = feed.status();
            s.status = status;
            s.lagRecords = status.lagRecords();
            s.lagSeconds = status.lag().toMillis() / 1000.0;
            if (status.lagRecords() == 0) {
                s.progressAt = now;
            }
        } catch (Exception e) {
            LOG.debug("feed {}: lag not measured: {}", feed.name(), e.getMessage());
        }
    }

    /** Null when the feed has not polled yet in this process. */
    Verdict verdict(String feed) {
        State s = states.get(feed);
        if (s == null || s.status == null) {
            return null;
        }
        Duration still = Duration.between(s.progressAt, clock.instant());
        boolean stuck = s.lagRecords > 0 && still.compareTo(stuckAfter) > 0;
        return new Verdict(s.status, stuck, still);
    }

    java.util.Set<String> feeds() {
        return states.keySet();
    }

    /** A feed is stuck when rows wait and nothing was delivered for {@code stuckAfter}. */
    record Verdict(Feed.Status status, boolean stuck, Duration sinceProgress) {
    }
}
