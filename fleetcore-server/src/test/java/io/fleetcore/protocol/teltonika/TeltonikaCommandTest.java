package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Codec 12 against the worked examples of Teltonika's "Teltonika Data Sending Protocols" (Codec 12): the
 * {@code getinfo} command the server sends and the device's response to it, every byte asserted; then a
 * fuzz of the response decoder.
 */
class TeltonikaCommandTest extends ProtocolTest {

    /** The documented getinfo command frame. */
    static final String GETINFO = "000000000000000F0C010500000007676574696E666F0100004312";
    /** The documented response to getinfo. */
    static final String GETINFO_RESPONSE = "00000000000000900C010600000088494E493A323031392F372F323220373A3232205254433A323031392F372F323220373A3533"
            + "205253543A32204552523A312053523A302042523A302043463A302046473A3020464C3A302054553A302F302055543A3020534D533A30"
            + "204E4F4750533A303A3330204750533A31205341543A302052533A332052463A36352053463A31204D443A30010000C78F";
    static final String GETINFO_TEXT = "INI:2019/7/22 7:22 RTC:2019/7/22 7:53 RST:2 ERR:1 SR:0 BR:0 CF:0 FG:0 FL:0 TU:0/0 UT:0 SMS:0 "
            + "NOGPS:0:30 GPS:1 SAT:0 RS:3 RF:65 SF:1 MD:0";

    @Test
    void getinfoCommandIsTheDocumentedFrameByteForByte() {
        byte[] f = TeltonikaCommand.encode("getinfo");
        assertThat(hex(f)).isEqualTo(GETINFO);
        assertThat(Arrays.copyOfRange(f, 0, 4)).containsExactly(0, 0, 0, 0);   // preamble
        assertThat(Arrays.copyOfRange(f, 4, 8)).containsExactly(0, 0, 0, 0x0F); // data size: codec .. quantity 2
        assertThat(f[8]).isEqualTo((byte) 0x0C);                                // codec 12
        assertThat(f[9]).isEqualTo((byte) 0x01);                                // command quantity 1
        assertThat(f[10]).isEqualTo((byte) 0x05);                               // type: command
        assertThat(Arrays.copyOfRange(f, 11, 15)).containsExactly(0, 0, 0, 7); // command size
        assertThat(new String(f, 15, 7, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("getinfo");
        assertThat(f[22]).isEqualTo((byte) 0x01);                               // command quantity 2
        assertThat(Arrays.copyOfRange(f, 23, 27)).containsExactly(0, 0, 0x43, 0x12); // CRC-16/IBM of codec .. quantity 2
    }

    @Test
    void documentedResponseDecodesToItsText() throws ProtocolException {
        assertThat(TeltonikaCommand.decodeResponse(binary(GETINFO_RESPONSE))).isEqualTo(GETINFO_TEXT);
        assertThat(hex(TeltonikaCommand.response(GETINFO_TEXT))).isEqualTo(GETINFO_RESPONSE);
    }

    @Test
    void emptyCommandAndResponseRoundTrip() throws ProtocolException {
        assertThat(TeltonikaCommand.encode("")).hasSize(20);
        assertThat(TeltonikaCommand.decodeResponse(TeltonikaCommand.response(""))).isEmpty();
    }

    @Test
    void damagedResponsesAreRefusedWithTheirReason() {
        byte[] crc = binary(GETINFO_RESPONSE);
        crc[20] ^= 1;
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(crc)).isInstanceOf(ProtocolException.class).hasMessageStartingWith("bad-crc");
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(binary(GETINFO)))
                .isInstanceOf(ProtocolException.class).hasMessage("bad-type: type 5 is not a response (6)");
        byte[] shortFrame = Arrays.copyOf(binary(GETINFO_RESPONSE), 100);
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(shortFrame)).isInstanceOf(ProtocolException.class)
                .hasMessage("bad-length: data size 144 does not fit a frame of 100 bytes");
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(new byte[5])).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("bad-length");
        byte[] preamble = binary(GETINFO_RESPONSE);
        preamble[0] = 1;
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(preamble)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("bad-preamble");
    }

    @Test
    void innerSizeThatDisagreesWithTheDataSizeIsRefusedEvenWithARightCrc() {
        byte[] f = binary(GETINFO_RESPONSE);
        f[14] = (byte) 0x87; // response size 135 in a data size of 144
        int crc = io.fleetcore.protocol.Crc16.ARC.of(f, 8, f.length - 12);
        f[f.length - 2] = (byte) (crc >>> 8);
        f[f.length - 1] = (byte) crc;
        assertThatThrownBy(() -> TeltonikaCommand.decodeResponse(f)).isInstanceOf(ProtocolException.class)
                .hasMessage("bad-length: response size 135 does not fit data size 144");
    }

    /**
     * 100,000 seeded random and mutated frames: only {@link ProtocolException} escapes, a frame whose CRC is wrong
     * is never accepted, and an accepted frame re-encodes to itself.
     */
    @Test
    void fuzzedResponsesOnlyRaiseProtocolExceptions() {
        Random rnd = new Random(20261202L);
        byte[] base = binary(GETINFO_RESPONSE);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] f;
            switch (rnd.nextInt(4)) {
                case 0 -> { // bytes flipped, CRC kept
                    f = base.clone();
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                        f[rnd.nextInt(f.length)] ^= (byte) (1 + rnd.nextInt(255));
                    }
                }
                case 1 -> f = Arrays.copyOf(base, rnd.nextInt(base.length + 8)); // cut or padded
                case 2 -> { // random bytes behind a plausible header, CRC made right
                    f = new byte[20 + rnd.nextInt(60)];
                    rnd.nextBytes(f);
                    java.nio.ByteBuffer.wrap(f).putInt(0, 0).putInt(4, f.length - 12);
                    f[8] = 0x0C;
                    f[10] = 0x06;
                    int crc = io.fleetcore.protocol.Crc16.ARC.of(f, 8, f.length - 12);
                    java.nio.ByteBuffer.wrap(f).putInt(f.length - 4, crc);
                }
                default -> {
                    f = new byte[rnd.nextInt(64)];
                    rnd.nextBytes(f);
                }
            }
            try {
                String text = TeltonikaCommand.decodeResponse(f);
                accepted++;
                int sent = java.nio.ByteBuffer.wrap(f).getInt(f.length - 4);
                assertThat(sent).isEqualTo(BitwiseCrc.bitwise(f, 8, f.length - 12));
                assertThat(TeltonikaCommand.response(text).length).isEqualTo(f.length);
            } catch (ProtocolException expected) {
                assertThat(expected.reason()).isNotBlank();
            } catch (RuntimeException e) {
                fail("frame " + hex(f) + " raised " + e);
            }
        }
        assertThat(accepted).isGreaterThan(0);
    }

    /** The bit-by-bit CRC-16/IBM, independent of the table-driven one under test. */
    static final class BitwiseCrc {
        static int bitwise(byte[] b, int offset, int length) {
            int crc = 0;
            for (int i = offset; i < offset + length; i++) {
                crc ^= b[i] & 0xFF;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
                }
            }
            return crc;
        }
    }
}
