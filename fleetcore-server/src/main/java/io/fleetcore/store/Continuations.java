package io.fleetcore.store;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where an asynchronous step (store-records after its commit, publish-ingest after its confirm) continues its
 * exchange: on {@code pool}, so the thread that delivered the outcome (the store's ack thread, the AMQP client's
 * thread) is free for the next one at once; inline when the pool refuses because it is shutting down, so no
 * exchange is left without its callback.
 */
public final class Continuations {

    private Continuations() {
    }

    public static void resume(Executor pool, Runnable rest) {
        try {
            pool.execute(rest);
        } catch (RejectedExecutionException shuttingDown) {
            rest.run();
        }
    }
}
