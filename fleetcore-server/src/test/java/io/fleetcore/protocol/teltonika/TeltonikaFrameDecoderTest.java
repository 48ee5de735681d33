package io.fleetcore.protocol.teltonika;

import static io.fleetcore.protocol.teltonika.TeltonikaVectors.IMEI;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.LOGIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.ProtocolTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Framing of a Teltonika session whatever the read boundaries, with Netty's leak detector at PARANOID. */
class TeltonikaFrameDecoderTest extends ProtocolTest {

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new TeltonikaFrameDecoder(4096));
    }

    private static void write(EmbeddedChannel ch, String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(binary(hex)));
    }

    private static List<Object> messages(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static void verifyPacket(Object message, String hex) {
        assertThat(message).isInstanceOf(TeltonikaPacket.class);
        TeltonikaPacket p = (TeltonikaPacket) message;
        assertThat(p.imei()).isEqualTo(IMEI);
        assertThat(hex(p.bytes())).isEqualTo(hex);
    }

    @Test
    void loginThenEveryVectorSplitIntoSingleBytes() {
        EmbeddedChannel ch = channel();
        StringBuilder all = new StringBuilder(LOGIN);
        for (String v : TeltonikaVectors.ALL) {
            all.append(v);
        }
        for (byte b : binary(all.toString())) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Object> out = messages(ch);
        assertThat(out).hasSize(6);
        assertThat(out.get(0)).isInstanceOf(TeltonikaLogin.class);
        assertThat(((TeltonikaLogin) out.get(0)).imei()).isEqualTo(IMEI);
        assertThat(hex(((TeltonikaLogin) out.get(0)).bytes())).isEqualTo(LOGIN);
        for (int i = 0; i < TeltonikaVectors.ALL.length; i++) {
            verifyPacket(out.get(i + 1), TeltonikaVectors.ALL[i]);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void loginAndTwoPacketsInOneReadWithPingsBetween() {
        EmbeddedChannel ch = channel();
        write(ch, LOGIN + "FF" + TeltonikaVectors.V1 + "FFFF" + TeltonikaVectors.V4 + "FF");
        List<Object> out = messages(ch);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isInstanceOf(TeltonikaLogin.class);
        verifyPacket(out.get(1), TeltonikaVectors.V1);
        verifyPacket(out.get(2), TeltonikaVectors.V4);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void lengthThatPromisesMoreThanArrivesWaitsWithoutCrashing() {
        EmbeddedChannel ch = channel();
        write(ch, LOGIN);
        String v2 = TeltonikaVectors.V2;
        write(ch, v2.substring(0, v2.length() - 10));
        assertThat(messages(ch)).hasSize(1);
        assertThat(ch.isOpen()).isTrue();
        write(ch, v2.substring(v2.length() - 10));
        List<Object> out = messages(ch);
        assertThat(out).hasSize(1);
        verifyPacket(out.get(0), v2);
        // a stream that ends inside a frame: nothing emitted, buffers released
        write(ch, "00000000000000FF08");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void lengthBeyondTheMaximumFrameSizeIsPassedOnAsOversizedAndTheRestDiscarded() {
        EmbeddedChannel ch = channel();
        write(ch, LOGIN + "0000000000001000" + "08" + "00".repeat(2000));
        write(ch, TeltonikaVectors.V1);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(2);
        OversizedFrame frame = (OversizedFrame) out.get(1);
        assertThat(frame.protocol()).isEqualTo("teltonika");
        assertThat(frame.deviceUid()).isEqualTo(IMEI);
        assertThat(frame.detail()).isEqualTo("packet of 4108 bytes exceeds the maximum of 4096");
        assertThat(hex(frame.bytes())).isEqualTo(("0000000000001000" + "08" + "00".repeat(2000)).substring(0, 2 * OversizedFrame.HEAD_BYTES));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void pingsWithoutAPacketCountAgainstTheFrameLimit() {
        EmbeddedChannel ch = channel();
        write(ch, LOGIN + "FF".repeat(4000) + TeltonikaVectors.V1 + "FF".repeat(4000));
        assertThat(messages(ch)).hasSize(2);
        write(ch, "FF".repeat(97));
        List<Object> out = messages(ch);
        assertThat(out).hasSize(1);
        assertThat(((OversizedFrame) out.get(0)).detail()).isEqualTo("4097 bytes of pings without a packet");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void loginLengthOutOfRangeIsPassedOnWithoutAnImei() {
        EmbeddedChannel ch = channel();
        write(ch, "0000000000000036" + TeltonikaVectors.V1);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(1);
        TeltonikaLogin login = (TeltonikaLogin) out.get(0);
        assertThat(login.imei()).isEmpty();
        assertThat(hex(login.bytes())).isEqualTo(("0000000000000036" + TeltonikaVectors.V1).substring(0, 128));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void gprsCommandResponsesAreNotPassedOnAsAvl() {
        EmbeddedChannel ch = channel();
        write(ch, LOGIN + "000000000000000F0C010600000007676574696E666F0100000000" + TeltonikaVectors.V2);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(2);
        verifyPacket(out.get(1), TeltonikaVectors.V2);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void codec12ResponseGoesUpAsAnEventBetweenPacketsSplitIntoSingleBytes() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new TeltonikaFrameDecoder(4096), new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        byte[] session = binary(LOGIN + TeltonikaVectors.V1 + TeltonikaCommandTest.GETINFO_RESPONSE + TeltonikaVectors.V2);
        for (byte b : session) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Object> out = messages(ch);
        assertThat(out).hasSize(3);
        verifyPacket(out.get(1), TeltonikaVectors.V1);
        verifyPacket(out.get(2), TeltonikaVectors.V2);
        assertThat(events).containsExactly(io.fleetcore.model.DeviceResponse.of(TeltonikaCommandTest.GETINFO_TEXT));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void damagedCodec12ResponseGoesUpAsADamagedEvent() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new TeltonikaFrameDecoder(4096), new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        write(ch, LOGIN + "000000000000000F0C010600000007676574696E666F0100000000");
        assertThat(messages(ch)).hasSize(1);
        assertThat(events).containsExactly(io.fleetcore.model.DeviceResponse.damaged("bad-crc: CRC 00000000 sent, 8017 computed"));
        assertThat(ch.finish()).isFalse();
    }
}
