package io.fleetcore.feed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import io.fleetcore.check.HealthCheckGroup;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One health check per running feed ({@code fleetcore-feed-<name>} in {@code /observe/health}). Readiness
 * neutral: a stuck feed (rows waiting, nothing delivered for {@code fleetcore.feed.stuck-after}) is reported in
 * the check's message and details ({@code stuck}, lag, last error) but the check stays UP, because a slow
 * application must not take ingest out of a load balancer.
 */
public final class FeedHealthChecks extends HealthCheckGroup {

    private final FeedMeters meters;
    private final Map<String, FeedCheck> checks = new ConcurrentHashMap<>();

    public FeedHealthChecks(FeedMeters meters) {
        super("fleetcore-feeds");
        this.meters = meters;
    }

    @Override
    protected Stream<FeedCheck> checks() {
        return meters.feeds().stream().sorted().map(f -> checks.computeIfAbsent(f, name -> new FeedCheck(name, meters)));
    }

    static final class FeedCheck extends AbstractHealthCheck {
        private final String feed;
        private final FeedMeters meters;

        FeedCheck(String feed, FeedMeters meters) {
            super("fleetcore-feed-" + feed);
            this.feed = feed;
            this.meters = meters;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            FeedMeters.Verdict v = meters.verdict(feed);
            builder.up();
            if (v == null) {
                builder.message("feed " + feed + " has not polled yet");
                return;
            }
            Feed.Status s = v.status();
            builder.detail("feed", feed);
            builder.detail("position", s.position());
            builder.detail("lag_records", s.lagRecords());
            builder.detail("lag_seconds", s.lag().toSeconds());
            builder.detail("stuck", v.stuck());
            if (s.lastError() != null) {
                builder.detail("last_error", s.lastError());
            }
            builder.message(v.stuck()
                    ? "STUCK: " + s.lagRecords() + " row(s) waiting, nothing delivered for " + v.sinceProgress().toSeconds()
                            + " s" + (s.lastError() == null ? "" : ", last error: " + s.lastError())
                    : "delivering, " + s.lagRecords() + " row(s) behind");
        }
    }
}
