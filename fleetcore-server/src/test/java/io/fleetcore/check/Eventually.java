package io.fleetcore.check;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes (integration tests only). */
public final class Eventually {

    private Eventually() {
    }

    /** Returns how long it took; fails with {@code what} when the deadline passed. */
    public static Duration within(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + limit + ": " + what + (last == null ? "" : " (last error: " + last + ")"));
    }
}
