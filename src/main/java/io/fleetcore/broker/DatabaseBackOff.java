package io.fleetcore.broker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bean {@code databaseBackOff}: how long the redelivery consumer waits after the database was unreachable,
 * growing with every consecutive failure up to the cap (which bounds how late it notices the database is
 * back), and reset by the first successful commit.
 */
public final class DatabaseBackOff {

    private final BackOff backOff;
    private final AtomicInteger consecutive = new AtomicInteger();

    public DatabaseBackOff(BackOff backOff) {
        this.backOff = backOff;
    }

    /** Counts one more failure and returns the wait in milliseconds. */
    public long nextDelayMillis() {
        return backOff.after(consecutive.incrementAndGet()).toMillis();
    }

    public void reset() {
        consecutive.set(0);
    }

    public int consecutiveFailures() {
        return consecutive.get();
    }
}
