package io.fleetcore.broker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bean {@code databaseBackOff}: how long the redelivery consumer waits after the database was unreachable,
 * growing with every consecutive failure up to the cap (which bounds how late it notices the database is
 * back), and reset by the first successful commit.
 */
public final class DatabaseBackOff {

    private final BackOff backOff;
    private final AtomicInteger consecutive = new AtomicInteger();
    private final AtomicLong waits = new AtomicLong();

    public DatabaseBackOff(BackOff backOff) {
        this.backOff = backOff;
    }

    /** Counts one more failure and returns the wait in milliseconds. */
    public long nextDelayMillis() {
        waits.incrementAndGet();
        return backOff.after(consecutive.incrementAndGet()).toMillis();
    }

    public void reset() {
        consecutive.set(0);
    }

    public int consecutiveFailures() {
        return consecutive.get();
    }

    /** Back-off waits since start, each followed by a requeue of the message that waited. */
    public long waits() {
        return waits.get();
    }
}
