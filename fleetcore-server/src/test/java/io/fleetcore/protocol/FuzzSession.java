package io.fleetcore.protocol;

import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A fuzzed connection for the fuzz tests of every protocol: a login and a run of fuzzed frames, cut into reads
 * at random points and written into a frame decoder on an {@link EmbeddedChannel}. Every buffer the channel's
 * allocator made (the reads, and whatever the decoder allocated) must end released, whether the stream framed,
 * waited or closed.
 */
public final class FuzzSession {

    private FuzzSession() {
    }

    /**
     * @param maxRead the largest read; reads are 1..maxRead bytes (sockets never deliver empty reads)
     * @return how many {@code frameType} objects the decoder passed on
     */
    public static int framed(ChannelHandler frameDecoder, Class<?> frameType, byte[] login, List<byte[]> frames,
                             Random rnd, int maxRead) {
        int size = login.length;
        for (byte[] f : frames) {
            size += f.length;
        }
        byte[] all = new byte[size];
        System.arraycopy(login, 0, all, 0, login.length);
        int at = login.length;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        EmbeddedChannel ch = new EmbeddedChannel(frameDecoder);
        TrackingAllocator alloc = new TrackingAllocator();
        ch.config().setAllocator(alloc);
        for (int from = 0; from < all.length; ) {
            int n = Math.min(all.length - from, 1 + rnd.nextInt(maxRead));
            ByteBuf read = alloc.heapBuffer(n).writeBytes(all, from, n);
            if (ch.isOpen()) {
                ch.writeInbound(read);
            } else {
                read.release();
            }
            from += n;
        }
        int framed = 0;
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (frameType.isInstance(o)) {
                framed++;
            }
        }
        ch.finishAndReleaseAll();
        for (ByteBuf made : alloc.made) {
            if (made.refCnt() != 0) {
                fail("buffer not released (" + alloc.made.size() + " made) in session "
                        + HexFormat.of().withUpperCase().formatHex(all));
            }
        }
        return framed;
    }

    /** Remembers every buffer it makes, so a test can check that all were released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            made.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            made.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
