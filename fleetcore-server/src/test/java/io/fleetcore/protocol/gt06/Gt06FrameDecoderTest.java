package io.fleetcore.protocol.gt06;

import static io.fleetcore.protocol.gt06.Gt06Vectors.IMEI;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.ProtocolTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Framing of a GT06 session whatever the read boundaries, with Netty's leak detector at PARANOID and every read released. */
class Gt06FrameDecoderTest extends ProtocolTest {

    private final List<ByteBuf> reads = new ArrayList<>();

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void everyReadReleased() {
        for (ByteBuf read : reads) {
            assertThat(read.refCnt()).as("read buffer released").isZero();
        }
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new Gt06FrameDecoder(1024));
    }

    private void write(EmbeddedChannel ch, String hex) {
        ByteBuf read = Unpooled.wrappedBuffer(binary(hex));
        reads.add(read);
        ch.writeInbound(read);
    }

    private static List<Object> messages(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static void verifyFrame(Object message, String imei, String hex) {
        assertThat(message).isInstanceOf(Gt06Frame.class);
        Gt06Frame f = (Gt06Frame) message;
        assertThat(f.imei()).isEqualTo(imei);
        assertThat(hex(f.bytes())).isEqualTo(hex);
    }

    @Test
    void aWholeSessionSplitIntoSingleBytes() {
        EmbeddedChannel ch = channel();
        for (String v : Gt06Vectors.SESSION) {
            for (int i = 0; i < v.length(); i += 2) {
                write(ch, v.substring(i, i + 2));
            }
        }
        List<Object> out = messages(ch);
        assertThat(out).hasSize(Gt06Vectors.SESSION.length);
        for (int i = 0; i < out.size(); i++) {
            verifyFrame(out.get(i), IMEI, Gt06Vectors.SESSION[i]);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aWholeSessionInOneRead() {
        EmbeddedChannel ch = channel();
        write(ch, String.join("", Gt06Vectors.SESSION));
        List<Object> out = messages(ch);
        assertThat(out).hasSize(Gt06Vectors.SESSION.length);
        for (int i = 0; i < out.size(); i++) {
            verifyFrame(out.get(i), IMEI, Gt06Vectors.SESSION[i]);
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void framesBeforeAnIntactLoginCarryNoImei() {
        EmbeddedChannel ch = channel();
        String badLogin = Gt06Vectors.LOGIN.replace("8CDD", "8CDE");
        write(ch, Gt06Vectors.LOCATION + badLogin + Gt06Vectors.HEARTBEAT + Gt06Vectors.LOGIN + Gt06Vectors.HEARTBEAT);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(5);
        verifyFrame(out.get(0), null, Gt06Vectors.LOCATION);
        verifyFrame(out.get(1), null, badLogin);
        verifyFrame(out.get(2), null, Gt06Vectors.HEARTBEAT);
        verifyFrame(out.get(3), IMEI, Gt06Vectors.LOGIN);
        verifyFrame(out.get(4), IMEI, Gt06Vectors.HEARTBEAT);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void bytesBeforeAStartMarkerArePassedOnAsOneFrameAndFramingResumes() {
        EmbeddedChannel ch = channel();
        write(ch, Gt06Vectors.LOGIN + "0102");
        write(ch, "03047804" + Gt06Vectors.HEARTBEAT.substring(0, 10));
        write(ch, Gt06Vectors.HEARTBEAT.substring(10));
        List<Object> out = messages(ch);
        assertThat(out).hasSize(3);
        verifyFrame(out.get(0), IMEI, Gt06Vectors.LOGIN);
        verifyFrame(out.get(1), IMEI, "010203047804");
        verifyFrame(out.get(2), IMEI, Gt06Vectors.HEARTBEAT);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLengthThatPromisesMoreWaitsAndAnUnfinishedFrameIsDroppedAtTheEnd() {
        EmbeddedChannel ch = channel();
        String location = Gt06Vectors.LOCATION;
        write(ch, Gt06Vectors.LOGIN + location.substring(0, 40));
        assertThat(messages(ch)).hasSize(1);
        write(ch, location.substring(40));
        List<Object> out = messages(ch);
        assertThat(out).hasSize(1);
        verifyFrame(out.get(0), IMEI, location);
        write(ch, "78781F121A0B");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLongFrameIsFramedByItsTwoByteLength() {
        EmbeddedChannel ch = channel();
        String longFrame = "79790005130004" + "0000" + "0D0A";
        write(ch, Gt06Vectors.LOGIN + longFrame.substring(0, 6));
        write(ch, longFrame.substring(6) + Gt06Vectors.HEARTBEAT);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(3);
        verifyFrame(out.get(1), IMEI, longFrame);
        verifyFrame(out.get(2), IMEI, Gt06Vectors.HEARTBEAT);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameLongerThanTheMaximumIsPassedOnAsOversizedAndTheRestDiscarded() {
        EmbeddedChannel ch = channel();
        String huge = "7979FFFF12" + "00".repeat(1500);
        write(ch, Gt06Vectors.LOGIN + huge);
        write(ch, Gt06Vectors.HEARTBEAT);
        List<Object> out = messages(ch);
        assertThat(out).hasSize(2);
        OversizedFrame frame = (OversizedFrame) out.get(1);
        assertThat(frame.protocol()).isEqualTo("gt06");
        assertThat(frame.deviceUid()).isEqualTo(IMEI);
        assertThat(frame.detail()).isEqualTo("frame of 65541 bytes exceeds the maximum of 1024");
        assertThat(hex(frame.bytes())).isEqualTo(huge.substring(0, 2 * OversizedFrame.HEAD_BYTES));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void noiseWithoutAStartMarkerCountsAgainstTheFrameLimit() {
        EmbeddedChannel ch = channel();
        write(ch, "00".repeat(1024));
        assertThat(messages(ch)).isEmpty();
        write(ch, "0000");
        List<Object> out = messages(ch);
        assertThat(out).hasSize(1);
        OversizedFrame frame = (OversizedFrame) out.get(0);
        assertThat(frame.deviceUid()).isNull();
        assertThat(frame.detail()).isEqualTo("1026 bytes without a start marker");
        write(ch, Gt06Vectors.LOGIN);
        assertThat(messages(ch)).isEmpty();
        assertThat(ch.finish()).isFalse();
    }
}
