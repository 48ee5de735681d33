package io.fleetcore.store;

import io.fleetcore.model.DeviceEvents;
import io.fleetcore.model.DeviceRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: records from every connection are queued and written by writer threads in shared
 * batches, one transaction each, idempotently ({@code ON CONFLICT DO NOTHING} on the natural key).
 * A submitter's completion runs only after its batch committed (success) or failed (with the cause).
 * With N writers ({@code fleetcore.store.writers}) each has its own queue and connection, and a submission
 * goes to the writer of its device (hash of the device uid), so one device's records always commit in the
 * order they were submitted while different devices commit in parallel; each writer's batches commit in FIFO
 * order and its completions run in commit order. The queues share one bound in records: when it is used up
 * the submitter blocks, which is how back-pressure reaches the sockets.
 */
public final class RecordStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);

    public static final String INSERT_RECORD = """
            insert into records (device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh,
                                 angle, satellites, priority, event_code, protocol, obd, io)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
            on conflict on constraint records_natural_key do nothing""";

    private static final Comparator<StoredRow> BY_DEVICE = Comparator.comparing(r -> r.record().deviceUid());

    static final String INSERT_DEVICE = """
            insert into devices (device_uid, protocol) values (?, ?) on conflict (device_uid) do nothing""";

    /**
     * Where a submission's time goes, for {@link #onStage}: {@code QUEUE} enqueued until a writer takes it,
     * {@code BATCH} a writer collecting its batch, {@code COMMIT} the batch's insert and commit, {@code ACK}
     * commit done until the submission's completion starts on the lane's ack thread.
     */
    public enum Stage {
        QUEUE, BATCH, COMMIT, ACK;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** The stage's name in metrics ({@code fleetcore_stage_seconds{stage}}), made once. */
        public String label() {
            return label;
        }
    }

    /** Receives the duration of one stage in nanoseconds (metrics). */
    public interface StageListener {
        void stage(Stage stage, long nanos);
    }

    /** The outcome of one submission: {@code null} failure means committed. */
    public interface Completion {
        void complete(Throwable failure);
    }

    private record Pending(List<StoredRow> records, Completion completion, long enqueuedNanos) {
    }

    private final DataSource dataSource;
    private final int batchSize;
    private final long batchWaitNanos;
    private final int capacity;
    private final Semaphore room;
    /** One writer: its queue, its thread, and the thread that runs its completions in commit order. */
    private static final class Lane {
        final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        final ExecutorService acks;
        Thread thread;

        Lane(ExecutorService acks) {
            this.acks = acks;
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    /** devices known to be in {@code devices} (LRU, bounded: {@link #rememberDevices}) */
    private volatile Set<String> knownDevices = lruSet(100_000);
    private final ExecutorService failures = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "fleetcore-store-failure");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running = true;
    private volatile Consumer<Integer> storedListener = n -> { };
    private volatile InsertMethod insertMethod = InsertMethod.BATCH;
    private volatile Runnable roomListener = () -> { };
    private volatile StageListener stageListener = (stage, nanos) -> { };
    private volatile DeviceEvents deviceEvents = DeviceEvents.NONE;

    public RecordStore(DataSource dataSource, int batchSize, Duration batchWait, int capacity) {
        this(dataSource, batchSize, batchWait, capacity, 1);
    }

    /** {@code writers} parallel group-commit writers, each on its own connection (at most the pool's size). */
    public RecordStore(DataSource dataSource, int batchSize, Duration batchWait, int capacity, int writers) {
        if (batchSize < 1 || capacity < 1 || writers < 1) {
            throw new IllegalArgumentException("batch size, queue capacity and writers must be positive");
        }
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.batchWaitNanos = batchWait.toNanos();
        this.capacity = capacity;
        this.room = new Semaphore(capacity, true);
        for (int i = 0; i < writers; i++) {
            String suffix = writers == 1 ? "" : "-" + i;
            // completions of committed batches run on the lane's ack thread, in commit order, while its
            // writer starts the next batch
            ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fleetcore-store-ack" + suffix);
                t.setDaemon(true);
                return t;
            });
            Lane lane = new Lane(acks);
            lane.thread = new Thread(() -> run(lane), "fleetcore-store-writer" + suffix);
            lane.thread.setDaemon(true);
            lanes.add(lane);
        }
        lanes.forEach(l -> l.thread.start());
    }

    /** Parallel writers. */
    public int writers() {
        return lanes.size();
    }

    /** The writer of a device: all of its records go through the same one, so they commit in order. */
    int laneOf(String deviceUid) {
        return Math.floorMod(deviceUid.hashCode(), lanes.size());
    }

    /** How batches are written (see {@link InsertMethod}); {@code fleetcore.store.insert-method}. */
    public void useInsertMethod(InsertMethod method) {
        this.insertMethod = method;
    }

    /** Which device events a record raises: written by {@link DeviceEventRows} in the record's transaction. */
    public void raiseEvents(DeviceEvents events) {
        this.deviceEvents = events;
    }

    /** How many device ids the writer remembers as registered (fleetcore.devices.cache-size). */
    public void rememberDevices(int max) {
        knownDevices = lruSet(max);
    }

    private static Set<String> lruSet(int max) {
        return Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        }));
    }

    /** Called with the time each submission and batch spent in each {@link Stage} (metrics). */
    public void onStage(StageListener listener) {
        this.stageListener = listener;
    }

    /** Called with the number of new rows after each commit (metrics). */
    public void onStored(Consumer<Integer> listener) {
        this.storedListener = listener;
    }

    /**
     * Queues records for the next batch. Blocks while the queue is full, up to {@code maxWait}; then the
     * completion fails at once with {@link StoreBusyException}.
     */
    public void submit(List<DeviceRecord> records, Completion completion, Duration maxWait) {
        if (records.isEmpty()) {
            completion.complete(null);
            return;
        }
        if (!running) {
            completion.complete(new StoreBusyException("record store is shut down"));
            return;
        }
        List<StoredRow> rows = new ArrayList<>(records.size());
        try {
            for (DeviceRecord r : records) {
                rows.add(StoredRow.of(r));
            }
        } catch (RuntimeException e) {
            completion.complete(e); // cannot be stored, ever: refused at once
            return;
        }
        int permits = Math.min(records.size(), capacity);
        try {
            if (!room.tryAcquire(permits, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                completion.complete(new StoreBusyException("record store queue full for " + maxWait.toMillis() + " ms"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completion.complete(new StoreBusyException("interrupted while waiting for the record store"));
            return;
        }
        lanes.get(laneOf(records.get(0).deviceUid())).queue.add(new Pending(rows, completion, System.nanoTime()));
    }

    /** Called after a batch left the queue and the queue is at most half full (gateways resume reading). */
    public void onRoom(Runnable listener) {
        this.roomListener = listener;
    }

    /** The queue is (nearly) full: gateways should stop reading sockets. */
    public boolean saturated() {
        return room.availablePermits() < Math.max(1, capacity / 10);
    }

    /** Records waiting for the writer. */
    public int queued() {
        return capacity - room.availablePermits();
    }

    public long storedCount() {
        return stored.get();
    }

    public long batchCount() {
        return batches.get();
    }

    private void run(Lane lane) {
        BlockingQueue<Pending> queue = lane.queue;
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long taken = System.nanoTime();
                stageListener.stage(Stage.QUEUE, taken - first.enqueuedNanos());
                int n = first.records().size();
                long deadline = taken + batchWaitNanos;
                while (n < batchSize) {
                    Pending next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || (next = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    }
                    batch.add(next);
                    stageListener.stage(Stage.QUEUE, System.nanoTime() - next.enqueuedNanos());
                    n += next.records().size();
                }
                stageListener.stage(Stage.BATCH, System.nanoTime() - taken);
                write(lane, batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable t) {
                LOG.error("record writer: unexpected failure", t);
                fail(batch, t);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(Lane lane, List<Pending> batch) {
        write(lane, batch, true);
    }

    /**
     * The pool waited its whole timeout for a connection: everything that queued up meanwhile fails at once,
     * so those records reach the dead-letter path within the devices' ACK timeout instead of each batch
     * waiting out the pool again. Work submitted after this tries the database afresh.
     */
    private void failQueued(Lane lane, Throwable cause) {
        List<Pending> queued = new ArrayList<>();
        lane.queue.drainTo(queued);
        if (!queued.isEmpty()) {
            LOG.warn("database unavailable: failing {} queued submission(s) at once", queued.size());
            fail(queued, new StoreBusyException("database unavailable: " + cause.getMessage()));
        }
    }

    private void write(Lane lane, List<Pending> batch, boolean mayRetry) {
        try {
            long started = System.nanoTime();
            int inserted = insert(batch);
            long committedAt = System.nanoTime();
            stageListener.stage(Stage.COMMIT, committedAt - started);
            stored.addAndGet(inserted);
            batches.incrementAndGet();
            release(batch);
            List<Pending> committed = List.copyOf(batch);
            lane.acks.execute(() -> {
                storedListener.accept(inserted);
                for (Pending p : committed) {
                    stageListener.stage(Stage.ACK, System.nanoTime() - committedAt);
                    complete(p, null);
                }
            });
        } catch (Exception | AssertionError e) {
            if (StorageFailures.isDataError(e)) {
                refused(lane, batch, e);
                return;
            }
            boolean unavailable = StorageFailures.isUnavailable(e);
            boolean noConnection = e instanceof java.sql.SQLTransientConnectionException;
            if (unavailable && mayRetry && !noConnection) {
                // a pooled connection that broke while the server restarted: the pool has evicted it,
                // one more try on a fresh connection before the submitters hear of it
                LOG.info("storing failed on a broken connection ({}), retrying once", e.getMessage());
                write(lane, batch, false);
                return;
            }
            LOG.warn("storing {} record(s) failed: {}", batch.stream().mapToInt(p -> p.records().size()).sum(), e.getMessage());
            fail(batch, e);
            if (noConnection) {
                // retrying would only wait out the pool again
                failQueued(lane, e);
            }
        }
    }

    /**
     * The database refused the data of some submission in the batch (SQLSTATE class 22/23): bisect, so the
     * refused submission is found in about 2·log2(n) transactions and every other one commits. A single
     * refused submission fails with {@link RecordRefusedException}: the gateway refuses that frame.
     */
    private void refused(Lane lane, List<Pending> batch, Throwable e) {
        if (batch.size() == 1) {
            Pending p = batch.get(0);
            String device = p.records().isEmpty() ? null : p.records().get(0).record().deviceUid();
            LOG.warn("device {}: {} record(s) refused by the database: {}", device, p.records().size(), e.getMessage());
            fail(batch, new RecordRefusedException(StorageFailures.dataState(e), e.getMessage(), device, e));
            return;
        }
        int half = batch.size() / 2;
        LOG.debug("batch of {} submissions refused ({}), bisecting", batch.size(), e.getMessage());
        write(lane, batch.subList(0, half), false);
        write(lane, batch.subList(half, batch.size()), false);
    }

    private void fail(List<Pending> batch, Throwable cause) {
        release(batch);
        for (Pending p : batch) {
            failures.execute(() -> complete(p, cause));
        }
    }

    private void release(List<Pending> batch) {
        for (Pending p : batch) {
            room.release(Math.min(p.records().size(), capacity));
        }
        if (room.availablePermits() >= capacity / 2) {
            try {
                roomListener.run();
            } catch (RuntimeException e) {
                LOG.warn("room listener failed", e);
            }
        }
    }

    private static void complete(Pending p, Throwable failure) {
        try {
            p.completion().complete(failure);
        } catch (RuntimeException e) {
            LOG.error("completion of a stored batch failed", e);
        }
    }

    private int insert(List<Pending> batch) throws SQLException {
        // sorted: writers that register the same new devices take their row locks in the same order
        Map<String, String> newDevices = new TreeMap<>();
        for (Pending p : batch) {
            for (StoredRow row : p.records()) {
                DeviceRecord r = row.record();
                if (!knownDevices.contains(r.deviceUid())) {
                    newDevices.putIfAbsent(r.deviceUid(), r.protocol());
                }
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Horizon.claimTransactionId(c); // before the first id is drawn: readers' horizons see this batch
                if (!newDevices.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_DEVICE)) {
                        for (Map.Entry<String, String> d : newDevices.entrySet()) {
                            ps.setString(1, d.getKey());
                            ps.setString(2, d.getValue());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                List<StoredRow> records = new ArrayList<>();
                for (Pending p : batch) {
                    records.addAll(p.records());
                }
                // by device (stable: a device's records keep their order): the records trigger updates
                // latest_records once per insert statement, and a batch split into several statements then still
                // locks its devices' latest rows in device order, the order every writer takes them in
                records.sort(BY_DEVICE);
                int inserted = insertMethod.insert(c, records);
                DeviceEventRows.insert(c, records, deviceEvents);
                c.commit();
                knownDevices.addAll(newDevices.keySet());
                return inserted;
            } catch (SQLException | RuntimeException | AssertionError e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    public static void bind(PreparedStatement ps, StoredRow row) throws SQLException {
        DeviceRecord r = row.record();
        ps.setString(1, r.deviceUid());
        ps.setTimestamp(2, Timestamp.from(r.fixTime()));
        ps.setString(3, row.contentHash());
        ps.setDouble(4, r.latitude());
        ps.setDouble(5, r.longitude());
        setDouble(ps, 6, r.altitude());
        setDouble(ps, 7, r.speedKmh());
        setInt(ps, 8, r.angle());
        setInt(ps, 9, r.satellites());
        setInt(ps, 10, r.priority());
        ps.setString(11, r.eventCode());
        ps.setString(12, r.protocol());
        ps.setString(13, row.obdJson());
        ps.setString(14, row.ioJson());
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    /** Stops taking work, lets the writer finish everything queued, waits up to {@code timeout}. */
    public void drain(Duration timeout) {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Lane lane : lanes) {
                lane.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (Lane lane : lanes) {
                lane.acks.shutdown();
                lane.acks.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            failures.shutdown();
            failures.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lanes.stream().anyMatch(l -> l.thread.isAlive())) {
            LOG.warn("record writer still busy after {} ms; {} record(s) not stored (not ACKed either)", timeout.toMillis(), queued());
        }
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(30));
    }
}
