package io.fleetcore.sim;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Simulated devices, each on its own TCP connection, all driven by a few Netty event-loop threads. A
 * device behaves like a real tracker: one packet in flight, kept until it is ACKed, sent again after a
 * timeout or a reconnect; only ACKed records go into the ledger.
 */
public final class Simulator {

    public enum Protocol { TELTONIKA, JSON }

    /** What to run; see {@code simulate --help}. */
    public record Settings(String host, int port, Protocol protocol, int devices, int recordsPerPacket,
                           double rate, Duration duration, long records, Path ledger, Duration ackTimeout,
                           Duration rampUp, Duration warmup, boolean codec8e, int threads, Duration progressEvery) {
        public Settings {
            if (devices < 1 || recordsPerPacket < 1 || recordsPerPacket > 255) {
                throw new IllegalArgumentException("devices >= 1 and 1 <= records per packet <= 255");
            }
            if (duration == null && records <= 0) {
                throw new IllegalArgumentException("give a duration or a number of records");
            }
        }
    }

    /** Outcome of a run; rates and latencies over the measured window (after the warm-up). */
    public record Result(long sent, long acked, long ackedMeasured, long resent, long refused, long reconnects,
                         double seconds, double ratePerSecond, Histogram latencyMicros, boolean drained) {
        public double p(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        public String summary() {
            return String.format(Locale.ROOT,
                    "simulate: acked=%d sent=%d resent=%d refused=%d reconnects=%d rate=%.0f/s over %.1fs"
                            + " ack p50=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms%s",
                    acked, sent, resent, refused, reconnects, ratePerSecond, seconds, p(50), p(99), p(99.9),
                    latencyMicros.getMaxValue() / 1000.0, drained ? "" : " (NOT drained: packets still unACKed)");
        }
    }

    private final Settings s;
    private final PrintStream progress;
    private final NioEventLoopGroup group;
    private final Ledger ledger;
    private final Recorder recorder = new Recorder(3);
    private final Histogram measured = new Histogram(3);
    /** every latency, warm-up and drain included */
    private final Histogram all = new Histogram(3);
    private final AtomicLong sentRecords = new AtomicLong();
    private final AtomicLong ackedRecords = new AtomicLong();
    private final AtomicLong ackedMeasured = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong budget;
    private final CountDownLatch finished;
    private volatile boolean stopping;
    private volatile boolean measuring;

    public Simulator(Settings settings, PrintStream progress) {
        this.s = settings;
        this.progress = progress;
        this.group = new NioEventLoopGroup(settings.threads());
        this.ledger = Ledger.create(settings.ledger());
        this.budget = new AtomicLong(settings.records() > 0 ? settings.records() : Long.MAX_VALUE);
        this.finished = new CountDownLatch(settings.devices());
    }

    /** Runs the whole simulation and returns when every device finished (or the drain timed out). */
    public Result run() throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // the device is attached before connect; see Device.connect
                    }
                });
        long runId = Math.floorMod(System.nanoTime() ^ ProcessHandle.current().pid() * 7919L, 1_000_000_000L);
        // a day back: fix times advance a second per record and must stay in the past, but a healthy fleet's
        // records are not weeks old (the quality check flags fixes older than 30 days)
        Instant firstFix = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        SplittableRandom jitter = new SplittableRandom(runId);
        List<Device> devices = new ArrayList<>(s.devices());
        for (int i = 0; i < s.devices(); i++) {
            String uid = String.format(Locale.ROOT, "3%09d%05d", runId, i);
            double perDevice = s.rate() <= 0 ? 0 : s.rate() / s.devices() * jitter.nextDouble(0.9, 1.1);
            devices.add(new Device(uid, group.next(), bootstrap, new SimRecords(uid, runId * 100_003 + i, firstFix), perDevice));
        }
        long start = System.nanoTime();
        long rampNanos = s.rampUp().toNanos();
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            long delay = devices.size() == 1 ? 0 : rampNanos * i / devices.size();
            d.loop.schedule(d::connect, delay, TimeUnit.NANOSECONDS);
        }
        long warmupEnd = start + rampNanos + s.warmup().toNanos();
        long measureStart = 0;
        long measuredAtStart = 0;
        long end = s.duration() == null ? Long.MAX_VALUE : warmupEnd + s.duration().toNanos();
        long nextProgress = start + s.progressEvery().toNanos();
        long lastAcked = 0;
        long lastTick = start;
        while (finished.getCount() > 0) {
            long now = System.nanoTime();
            if (measureStart == 0 && !stopping && now >= warmupEnd) {
                measuring = true;
                measureStart = now;
                all.add(recorder.getIntervalHistogram()); // warm-up latencies: not measured
                measuredAtStart = ackedRecords.get();
            }
            if (!stopping && (now >= end || budget.get() <= 0)) {
                stopping = true;
                if (measuring) {
                    Histogram tail = recorder.getIntervalHistogram();
                    all.add(tail);
                    measured.add(tail);
                }
                measuring = false;
                ackedMeasured.set(ackedRecords.get() - measuredAtStart);
                end = now;
                devices.forEach(d -> d.loop.execute(d::stopWhenIdle));
            }
            if (now >= nextProgress) {
                Histogram interval = recorder.getIntervalHistogram();
                all.add(interval);
                if (measuring) {
                    measured.add(interval);
                }
                long acked = ackedRecords.get();
                double secs = (now - lastTick) / 1e9;
                progress.printf(Locale.ROOT, "[%5.1fs] rate=%.0f/s acked=%d in-flight=%d resent=%d p99=%.1fms%s%n",
                        (now - start) / 1e9, (acked - lastAcked) / secs, acked, inFlight.get(), resent.get(),
                        interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1000.0,
                        stopping ? " (draining)" : measuring ? "" : " (warm-up)");
                lastAcked = acked;
                lastTick = now;
                nextProgress = now + s.progressEvery().toNanos();
            }
            if (stopping && now - end > s.ackTimeout().toNanos() * 2 + TimeUnit.SECONDS.toNanos(5)) {
                break;
            }
            finished.await(Math.min(100, s.progressEvery().toMillis()), TimeUnit.MILLISECONDS);
        }
        boolean drained = finished.getCount() == 0;
        Histogram last = recorder.getIntervalHistogram();
        all.add(last);
        if (measuring) {
            measured.add(last);
        }
        if (!stopping && measureStart != 0) {
            ackedMeasured.set(ackedRecords.get() - measuredAtStart);
            end = System.nanoTime();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        ledger.close();
        double seconds = measureStart == 0 ? 0 : (end - measureStart) / 1e9;
        long counted = ackedMeasured.get();
        Histogram latencies = measured;
        if (counted == 0 && ackedRecords.get() > 0) {
            // nothing was ACKed inside the measured window (a cold or overloaded server): count the whole run
            seconds = (System.nanoTime() - start) / 1e9;
            counted = ackedRecords.get();
            latencies = all;
        }
        return new Result(sentRecords.get(), ackedRecords.get(), counted, resent.get(), refused.get(),
                reconnects.get(), seconds, seconds <= 0 ? 0 : counted / seconds, latencies.copy(), drained);
    }

    /** One device: all its state lives on its event loop. */
    private final class Device extends ChannelInboundHandlerAdapter {
        final String uid;
        final EventLoop loop;
        final Bootstrap bootstrap;
        final SimRecords records;
        final long intervalNanos;
        Channel channel;
        boolean loggedIn;
        byte[] packet;
        Instant[] fixTimes;
        long sentAt;
        long nextDue;
        int ackBytes;
        int ackValue;
        ScheduledFuture<?> timeout;
        boolean done;
        int failures;

        Device(String uid, EventLoop loop, Bootstrap bootstrap, SimRecords records, double perDeviceRate) {
            this.uid = uid;
            this.loop = loop;
            this.bootstrap = bootstrap;
            this.records = records;
            this.intervalNanos = perDeviceRate <= 0 ? 0 : (long) (s.recordsPerPacket() / perDeviceRate * 1e9);
        }

        void connect() {
            if (done) {
                return;
            }
            loggedIn = s.protocol() == Protocol.JSON;
            ackBytes = 0;
            ackValue = 0;
            ChannelFuture f = bootstrap.clone(loop).handler(this).connect(s.host(), s.port());
            channel = f.channel();
            f.addListener(result -> {
                if (!result.isSuccess()) {
                    retryLater();
                }
            });
        }

        @Override
        public boolean isSharable() {
            return true; // one device, one channel at a time; reconnects reuse the handler
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            failures = 0;
            if (s.protocol() == Protocol.TELTONIKA) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(TeltonikaEncoder.login(uid)));
                armTimeout(ctx.channel());
            } else {
                sendOrWait();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (ctx.channel() != channel) {
                    return;
                }
                while (buf.isReadable()) {
                    if (!loggedIn) {
                        byte b = buf.readByte();
                        cancelTimeout();
                        if (b != 1) {
                            refused.incrementAndGet();
                            ctx.close();
                            return;
                        }
                        loggedIn = true;
                        sendOrWait();
                    } else if (packet == null) {
                        buf.skipBytes(buf.readableBytes()); // nothing expected
                    } else if (s.protocol() == Protocol.JSON) {
                        byte b = buf.readByte();
                        if (b == '1') {
                            ackValue++;
                        } else if (b == '0') {
                            refused.incrementAndGet();
                        }
                        if (++ackBytes == fixTimes.length) {
                            answered(ackValue);
                        }
                    } else {
                        ackValue = (ackValue << 8) | buf.readUnsignedByte();
                        if (++ackBytes == 4) {
                            answered(ackValue);
                        }
                    }
                }
            } finally {
                buf.release();
            }
        }

        private void answered(int count) {
            ackBytes = 0;
            ackValue = 0;
            cancelTimeout();
            int n = fixTimes.length;
            if (count != n) {
                // not (all) accepted: keep the packet, send it again after the device's response timeout
                resent.addAndGet(n);
                loop.schedule(this::resend, s.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            long latency = (System.nanoTime() - sentAt) / 1000;
            recorder.recordValue(Math.max(1, latency));
            ledger.acked(uid, fixTimes);
            ackedRecords.addAndGet(n);
            inFlight.addAndGet(-n);
            packet = null;
            fixTimes = null;
            sendOrWait();
        }

        private void resend() {
            if (packet != null && channel != null && channel.isActive()) {
                send();
            }
        }

        void sendOrWait() {
            if (channel == null || !channel.isActive() || !loggedIn) {
                return;
            }
            if (packet != null) {
                resent.addAndGet(fixTimes.length);
                send();
                return;
            }
            if (stopping) {
                finish();
                return;
            }
            long now = System.nanoTime();
            if (intervalNanos > 0) {
                if (nextDue == 0) {
                    nextDue = now + (long) (intervalNanos * Math.random());
                }
                if (nextDue > now) {
                    loop.schedule(this::sendOrWait, nextDue - now, TimeUnit.NANOSECONDS);
                    return;
                }
                nextDue += intervalNanos;
                if (nextDue < now - intervalNanos * 10) {
                    nextDue = now; // far behind (server slow): do not burst to catch up
                }
            }
            int k = (int) Math.min(s.recordsPerPacket(), Math.max(0, budget.getAndAdd(-s.recordsPerPacket())));
            if (k <= 0) {
                finish();
                return;
            }
            fixTimes = new Instant[k];
            if (s.protocol() == Protocol.TELTONIKA) {
                List<AvlRecord> avl = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    avl.add(records.nextAvl(s.codec8e(), fixTimes, i));
                }
                packet = TeltonikaEncoder.packet(s.codec8e() ? TeltonikaEncoder.CODEC_8E : TeltonikaEncoder.CODEC_8, avl);
            } else {
                byte[][] objects = new byte[k][];
                int size = 0;
                for (int i = 0; i < k; i++) {
                    objects[i] = records.nextJson(fixTimes, i);
                    size += objects[i].length;
                }
                packet = new byte[size];
                int at = 0;
                for (byte[] o : objects) {
                    System.arraycopy(o, 0, packet, at, o.length);
                    at += o.length;
                }
            }
            sentRecords.addAndGet(k);
            inFlight.addAndGet(k);
            send();
        }

        private void send() {
            ackBytes = 0;
            ackValue = 0;
            sentAt = System.nanoTime();
            channel.writeAndFlush(Unpooled.wrappedBuffer(packet));
            armTimeout(channel);
        }

        private void armTimeout(Channel ch) {
            cancelTimeout();
            timeout = loop.schedule(() -> {
                if (ch == channel && ch.isActive()) {
                    ch.close(); // no answer in time: reconnect, send the same packet again
                }
            }, s.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && !done) {
                cancelTimeout();
                reconnects.incrementAndGet();
                retryLater();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void retryLater() {
            if (done) {
                return;
            }
            if (stopping && packet == null) {
                finish();
                return;
            }
            failures++;
            long backoff = Math.min(5000, 100L << Math.min(failures, 6));
            loop.schedule(this::connect, backoff + (long) (Math.random() * 100), TimeUnit.MILLISECONDS);
        }

        void stopWhenIdle() {
            if (packet == null && !done && (channel == null || !channel.isActive() || loggedIn)) {
                finish();
            }
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            cancelTimeout();
            if (channel != null) {
                channel.close();
            }
            finished.countDown();
        }
    }
}
