package io.fleetcore.broker;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that publish dead letters (route {@code dead-letter}, step {@code publish-on-dead-letter-pool}):
 * {@code threads} of them, and at most {@code queueCapacity} exchanges waiting for one. When all are busy
 * (a blocked or slow broker) and the queue is full, the exchange is rejected at once: its device gets no
 * ACK and the connection closes, instead of failures piling up in memory behind a stalled broker.
 */
public final class DeadLetterExecutor {

    private DeadLetterExecutor() {
    }

    public static ThreadPoolExecutor create(int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queueCapacity)), r -> {
            Thread t = new Thread(r, "fleetcore-dead-letter-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }
}
