package io.fleetcore.broker;

import java.time.Duration;

/** Exponential back-off, doubling from {@code initial}, capped at {@code max}. */
public record BackOff(Duration initial, Duration max) {

    /** The wait before attempt {@code n + 1} after {@code n} failures (n ≥ 1). */
    public Duration after(int failures) {
        long ms = initial.toMillis();
        for (int i = 1; i < failures && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
