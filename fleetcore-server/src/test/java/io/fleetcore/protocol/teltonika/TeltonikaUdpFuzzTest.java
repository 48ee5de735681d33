package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded random and mutated datagrams through the datagram decoder and the UDP protocol: only
 * {@link ProtocolException} may escape, only a datagram whose header is sound (length, digit IMEI, both counts
 * equal) is ever accepted, its ACK echoes it, and every datagram buffer is released.
 */
class TeltonikaUdpFuzzTest extends ProtocolTest {

    static final int DATAGRAMS = 100_000;
    static final long SEED = 20261201L;
    static final InetSocketAddress DEVICE = new InetSocketAddress("127.0.0.1", 40002);
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5027);

    /** A datagram around the AVL data of a TCP packet (its codec id … number of data 2), IMEI of the vectors. */
    static byte[] wrap(byte[] tcpPacket, int packetId, int avlPacketId) {
        byte[] imei = TeltonikaVectors.IMEI.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int avl = tcpPacket.length - 12;
        byte[] d = new byte[8 + imei.length + avl];
        int n = d.length - 2;
        d[0] = (byte) (n >>> 8);
        d[1] = (byte) n;
        d[2] = (byte) (packetId >>> 8);
        d[3] = (byte) packetId;
        d[4] = 1;
        d[5] = (byte) avlPacketId;
        d[7] = (byte) imei.length;
        System.arraycopy(imei, 0, d, 8, imei.length);
        System.arraycopy(tcpPacket, 8, d, 8 + imei.length, avl);
        return d;
    }

    static byte[] datagram(Random rnd) {
        byte[] base = switch (rnd.nextInt(3)) {
            case 0 -> binary(TeltonikaVectors.U1);
            case 1 -> binary(TeltonikaVectors.U2);
            default -> wrap(binary(TeltonikaVectors.ALL[rnd.nextInt(TeltonikaVectors.ALL.length)]), rnd.nextInt(65536), rnd.nextInt(256));
        };
        switch (rnd.nextInt(5)) {
            case 0 -> { // flip bytes anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    base[rnd.nextInt(base.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return base;
            }
            case 1 -> { // flip bytes of the AVL data, length kept right: deep parsing of nonsense
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    base[23 + rnd.nextInt(base.length - 23)] = (byte) rnd.nextInt(256);
                }
                return base;
            }
            case 2 -> { // truncated or extended, length made to agree
                byte[] f = Arrays.copyOf(base, Math.max(2, base.length + rnd.nextInt(41) - 20));
                f[0] = (byte) ((f.length - 2) >>> 8);
                f[1] = (byte) (f.length - 2);
                return f;
            }
            case 3 -> { // pure noise
                byte[] f = new byte[rnd.nextInt(120)];
                rnd.nextBytes(f);
                return f;
            }
            default -> {
                return base; // intact
            }
        }
    }

    /** What may be accepted: length right, a digit IMEI inside, number of data 1 = number of data 2. */
    static boolean sound(byte[] d) {
        if (d.length < 11 || ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) != d.length - 2) {
            return false;
        }
        int imei = (d[6] & 0xFF) << 8 | (d[7] & 0xFF);
        if (imei < 1 || 8 + imei + 3 > d.length) {
            return false;
        }
        for (int i = 8; i < 8 + imei; i++) {
            if (d[i] < '0' || d[i] > '9') {
                return false;
            }
        }
        return d[8 + imei + 1] == d[d.length - 1] && d[d.length - 1] != 0;
    }

    @Test
    void onlySoundDatagramsAreAcceptedAndNothingElseEscapesOrLeaks() {
        TeltonikaUdpProtocol protocol = new TeltonikaUdpProtocol(100);
        EmbeddedChannel channel = new EmbeddedChannel(protocol.newFrameDecoder());
        Random rnd = new Random(SEED);
        int accepted = 0;
        int oversized = 0;
        for (int i = 0; i < DATAGRAMS; i++) {
            byte[] d = datagram(rnd);
            DatagramPacket packet = new DatagramPacket(Unpooled.buffer(d.length).writeBytes(d), SERVER, DEVICE);
            channel.writeInbound(packet);
            assertThat(packet.refCnt()).as("datagram released").isZero();
            AddressedEnvelope<?, ?> envelope = channel.readInbound();
            assertThat(envelope.sender()).isEqualTo(DEVICE);
            if (envelope.content() instanceof OversizedFrame) {
                assertThat(d.length).isGreaterThan(100);
                oversized++;
                continue;
            }
            try {
                DecodedFrame frame = protocol.decode(envelope.content());
                if (!sound(d)) {
                    fail("accepted an unsound datagram: " + hex(d));
                }
                assertThat(frame.records()).hasSize(d[d.length - 1] & 0xFF);
                byte[] ack = protocol.ack(d);
                assertThat(ack).containsExactly(0, 5, d[2], d[3], 1, d[5], d[d.length - 1]);
                accepted++;
            } catch (ProtocolException expected) {
                // refused: never ACKed
            } catch (RuntimeException e) {
                throw new AssertionError("escaped on " + hex(d), e);
            }
        }
        assertThat(channel.finish()).isFalse();
        assertThat(accepted).as("intact datagrams got through").isGreaterThan(DATAGRAMS / 10);
        assertThat(oversized).isPositive();
    }
}
