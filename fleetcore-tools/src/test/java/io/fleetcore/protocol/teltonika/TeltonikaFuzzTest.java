package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.FuzzSession;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import io.fleetcore.sim.AvlRecord;
import io.fleetcore.sim.TeltonikaEncoder;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded random and mutated frames through the frame decoder and the protocol decoder: only
 * {@link ProtocolException} may escape, no frame whose CRC is wrong (by the test's own table-driven CRC) is
 * ever accepted, every buffer the frame decoder was given or allocated is released.
 */
class TeltonikaFuzzTest extends ProtocolTest {

    static final int FRAMES = 100_000;
    static final long SEED = 20261129L;
    /** frames per fuzzed connection */
    static final int SESSION_FRAMES = 20;
    static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private static ResourceLeakDetector.Level before;

    /**
     * Leaks are checked exactly here (every buffer the decoder allocated or was given must end with refCnt 0);
     * the sampling detector would only add a stack trace per buffer access.
     */
    @BeforeAll
    static void exactLeakChecks() {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterAll
    static void restoreLeakDetector() {
        ResourceLeakDetector.setLevel(before);
    }

    /** Table-driven CRC-16/ARC, this test's own (not the decoder's). */
    static int crc(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xFF];
        }
        return crc;
    }

    /** The envelope is sound and the CRC field holds the right CRC: the only frames that may be accepted. */
    static boolean crcRight(byte[] f) {
        if (f.length < 12) {
            return false;
        }
        int n = f.length;
        int sent = ((f[n - 4] & 0xFF) << 24) | ((f[n - 3] & 0xFF) << 16) | ((f[n - 2] & 0xFF) << 8) | (f[n - 1] & 0xFF);
        return sent == crc(f, 8, n - 4);
    }

    static void fixCrc(byte[] f) {
        int c = crc(f, 8, f.length - 4);
        f[f.length - 4] = 0;
        f[f.length - 3] = 0;
        f[f.length - 2] = (byte) (c >>> 8);
        f[f.length - 1] = (byte) c;
    }

    static void fixLength(byte[] f) {
        int len = f.length - 12;
        f[4] = (byte) (len >>> 24);
        f[5] = (byte) (len >>> 16);
        f[6] = (byte) (len >>> 8);
        f[7] = (byte) len;
    }

    static byte[] randomValidPacket(Random rnd) {
        boolean extended = rnd.nextBoolean();
        int count = 1 + rnd.nextInt(4);
        List<AvlRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<Integer, Long> io1 = new HashMap<>();
            Map<Integer, Long> io2 = new HashMap<>();
            Map<Integer, Long> io4 = new HashMap<>();
            Map<Integer, Long> io8 = new HashMap<>();
            Map<Integer, byte[]> nx = new HashMap<>();
            int maxId = extended ? 65535 : 255;
            for (int k = rnd.nextInt(5); k > 0; k--) {
                io1.put(rnd.nextInt(maxId + 1), (long) rnd.nextInt(256));
                io2.put(rnd.nextInt(maxId + 1), (long) rnd.nextInt(65536));
                io4.put(rnd.nextInt(maxId + 1), rnd.nextLong() & 0xFFFFFFFFL);
                io8.put(rnd.nextInt(maxId + 1), rnd.nextLong());
                if (extended) {
                    byte[] v = new byte[rnd.nextInt(20)];
                    rnd.nextBytes(v);
                    nx.put(rnd.nextInt(maxId + 1), v);
                }
            }
            records.add(new AvlRecord(1_500_000_000_000L + rnd.nextInt(1_000_000_000), rnd.nextInt(3), rnd.nextInt(),
                    rnd.nextInt(), rnd.nextInt(65536), rnd.nextInt(360), rnd.nextInt(30), rnd.nextInt(300),
                    rnd.nextInt(maxId + 1), io1, io2, io4, io8, nx));
        }
        return TeltonikaEncoder.packet(extended ? TeltonikaEncoder.CODEC_8E : TeltonikaEncoder.CODEC_8, records);
    }

    static byte[] frame(Random rnd) {
        byte[] base = rnd.nextInt(3) == 0 ? randomValidPacket(rnd)
                : binary(TeltonikaVectors.ALL[rnd.nextInt(TeltonikaVectors.ALL.length)]);
        switch (rnd.nextInt(6)) {
            case 0 -> { // flip bytes, old CRC kept
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    base[rnd.nextInt(base.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return base;
            }
            case 1 -> { // flip bytes inside the data, CRC recomputed: deep parsing of nonsense
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    base[8 + rnd.nextInt(base.length - 12)] = (byte) rnd.nextInt(256);
                }
                fixCrc(base);
                return base;
            }
            case 2 -> { // truncated or extended, length and CRC made to agree
                byte[] f = Arrays.copyOf(base, Math.max(12, base.length + rnd.nextInt(41) - 20));
                fixLength(f);
                fixCrc(f);
                return f;
            }
            case 3 -> { // random body in a sound envelope
                byte[] f = new byte[12 + 3 + rnd.nextInt(200)];
                rnd.nextBytes(f);
                Arrays.fill(f, 0, 4, (byte) 0);
                f[8] = rnd.nextBoolean() ? (byte) 0x08 : (byte) 0x8E;
                fixLength(f);
                fixCrc(f);
                return f;
            }
            case 4 -> { // pure noise
                byte[] f = new byte[rnd.nextInt(120)];
                rnd.nextBytes(f);
                return f;
            }
            default -> {
                return base; // intact
            }
        }
    }

    @Test
    void randomAndMutatedFramesNeverEscapeAsAnythingButProtocolExceptionNorPassWithAWrongCrc() {
        Random rnd = new Random(SEED);
        TeltonikaProtocolDecoder decoder = new TeltonikaProtocolDecoder();
        byte[] login = binary(TeltonikaVectors.LOGIN);
        int accepted = 0;
        int refused = 0;
        int framed = 0;
        List<byte[]> session = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            byte[] f = frame(rnd);
            try {
                List<DeviceRecord> records = decoder.decode(TeltonikaVectors.IMEI, f);
                if (!crcRight(f)) {
                    fail("frame " + i + " accepted with a wrong CRC: " + hex(f));
                }
                assertThat(records).isNotEmpty().hasSize(f[9] & 0xFF);
                accepted++;
            } catch (ProtocolException e) {
                refused++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("frame " + i + " escaped with " + e + ": " + hex(f), e);
            }
            session.add(f);
            if (session.size() == SESSION_FRAMES) {
                framed += FuzzSession.framed(new TeltonikaFrameDecoder(4096), TeltonikaPacket.class, login, session, rnd, 300);
                session.clear();
            }
        }
        assertThat(accepted + refused).isEqualTo(FRAMES);
        assertThat(accepted).as("intact and regenerated frames pass").isGreaterThan(FRAMES / 10);
        assertThat(refused).as("mutated frames are refused").isGreaterThan(FRAMES / 2);
        assertThat(framed).isPositive();
    }
}
