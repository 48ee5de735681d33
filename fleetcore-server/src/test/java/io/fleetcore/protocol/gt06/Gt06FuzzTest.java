package io.fleetcore.protocol.gt06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcore.protocol.FuzzSession;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded random and mutated frames through the protocol decoder, and sessions of them cut into random
 * reads through the frame decoder: only {@link ProtocolException} may escape, no frame whose CRC is wrong (by
 * the bit-by-bit reference CRC) is ever accepted, every read buffer is released.
 */
class Gt06FuzzTest extends ProtocolTest {

    static final int FRAMES = 100_000;
    static final long SEED = 20261201L;
    static final int SESSION_FRAMES = 20;
    static final int[] TYPES = {0x01, 0x12, 0x22, 0x13, 0x23, 0x16, 0x26, 0x15, 0x8A};

    static boolean crcRight(byte[] f) {
        if (f.length < 10) {
            return false;
        }
        int sent = ((f[f.length - 4] & 0xFF) << 8) | (f[f.length - 3] & 0xFF);
        return sent == Gt06ProtocolDecoderTest.bitwiseCrc(f, 2, f.length - 4);
    }

    static void fixEnvelope(byte[] f) {
        if (f[0] == 0x79) {
            int length = f.length - 6;
            f[2] = (byte) (length >>> 8);
            f[3] = (byte) length;
        } else {
            f[2] = (byte) (f.length - 5);
        }
        f[f.length - 2] = 0x0D;
        f[f.length - 1] = 0x0A;
        int crc = Gt06ProtocolDecoderTest.bitwiseCrc(f, 2, f.length - 4);
        f[f.length - 4] = (byte) (crc >>> 8);
        f[f.length - 3] = (byte) crc;
    }

    static byte[] frame(Random rnd) {
        byte[] base = binary(Gt06Vectors.SESSION[rnd.nextInt(Gt06Vectors.SESSION.length)]);
        switch (rnd.nextInt(6)) {
            case 0 -> { // flip bytes, old CRC kept
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    base[rnd.nextInt(base.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return base;
            }
            case 1 -> { // content bytes changed, envelope made right: deep parsing of nonsense
                for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
                    base[3 + rnd.nextInt(base.length - 9)] = (byte) rnd.nextInt(256);
                }
                fixEnvelope(base);
                return base;
            }
            case 2 -> { // shorter or longer content, envelope made right
                byte[] f = Arrays.copyOf(base, Math.max(10, Math.min(255 + 5, base.length + rnd.nextInt(31) - 15)));
                fixEnvelope(f);
                return f;
            }
            case 3 -> { // random content of a known type in a sound short or long envelope
                boolean shortFrame = rnd.nextBoolean();
                int header = shortFrame ? 3 : 4;
                byte[] f = new byte[header + 1 + rnd.nextInt(60) + 6];
                rnd.nextBytes(f);
                f[0] = f[1] = (byte) (shortFrame ? 0x78 : 0x79);
                f[header] = (byte) TYPES[rnd.nextInt(TYPES.length)];
                fixEnvelope(f);
                return f;
            }
            case 4 -> { // pure noise
                byte[] f = new byte[rnd.nextInt(80)];
                rnd.nextBytes(f);
                return f;
            }
            default -> {
                return base;
            }
        }
    }

    @Test
    void randomAndMutatedFramesNeverEscapeAsAnythingButProtocolExceptionNorPassWithAWrongCrc() {
        Random rnd = new Random(SEED);
        Gt06ProtocolDecoder decoder = new Gt06ProtocolDecoder();
        int accepted = 0;
        int refused = 0;
        int framed = 0;
        List<byte[]> session = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            byte[] f = frame(rnd);
            try {
                Gt06Message m = decoder.decode(new Gt06Frame(Gt06Vectors.IMEI, f));
                if (!crcRight(f)) {
                    fail("frame " + i + " accepted with a wrong CRC: " + hex(f));
                }
                int type = m.protocolNumber();
                boolean carriesRecord = type == 0x12 || type == 0x22 || type == 0x16 || type == 0x26;
                assertThat(m.records()).as(hex(f)).hasSize(carriesRecord ? 1 : 0);
                accepted++;
            } catch (ProtocolException e) {
                refused++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("frame " + i + " escaped with " + e + ": " + hex(f), e);
            }
            session.add(f);
            if (session.size() == SESSION_FRAMES) {
                framed += FuzzSession.framed(new Gt06FrameDecoder(1024), Gt06Frame.class, binary(Gt06Vectors.LOGIN), session, rnd, 200);
                session.clear();
            }
        }
        assertThat(accepted + refused).isEqualTo(FRAMES);
        assertThat(accepted).as("intact and regenerated frames pass").isGreaterThan(FRAMES / 10);
        assertThat(refused).as("mutated frames are refused").isGreaterThan(FRAMES / 3);
        assertThat(framed).isPositive();
    }
}
