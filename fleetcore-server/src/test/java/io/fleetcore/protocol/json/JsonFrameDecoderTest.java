package io.fleetcore.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.OversizedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JsonFrameDecoderTest {

    static final String OBJ = "{\"device_number\":\"8691\",\"note\":\"a } and a { in \\\"text\\\"\",\"nested\":{\"x\":1}}";

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static List<String> frames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(new String((byte[]) o, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void oneObjectSplitIntoSingleBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(4096));
        for (byte b : OBJ.getBytes(StandardCharsets.UTF_8)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(frames(ch)).containsExactly(OBJ);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void severalObjectsInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(4096));
        ch.writeInbound(buf(OBJ + "\n" + OBJ + "  \r\n" + OBJ));
        assertThat(frames(ch)).containsExactly(OBJ, OBJ, OBJ);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void textOutsideObjectsIsAFrameOfItsOwnUpToNewlineOrBrace() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(4096));
        ch.writeInbound(buf("hello\n[1,2]" + OBJ));
        assertThat(frames(ch)).containsExactly("hello\n", "[1,2]", OBJ);
        assertThat(ch.finish()).isFalse();
    }

    private static OversizedFrame oversized(EmbeddedChannel ch) {
        Object o = ch.readInbound();
        assertThat(o).isInstanceOf(OversizedFrame.class);
        assertThat((Object) ch.readInbound()).as("nothing after it").isNull();
        return (OversizedFrame) o;
    }

    @Test
    void garbageWithoutFrameIsPassedOnAsOversizedAndTheRestDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
        byte[] junk = new byte[4096];
        java.util.Arrays.fill(junk, (byte) 'x');
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        OversizedFrame frame = oversized(ch);
        assertThat(frame.protocol()).isEqualTo("json");
        assertThat(frame.bytes()).hasSize(OversizedFrame.HEAD_BYTES).containsOnly((byte) 'x');
        assertThat(frame.detail()).isEqualTo("no frame within 1024 bytes");
        ch.writeInbound(buf(OBJ));
        assertThat(frames(ch)).as("the rest of the stream is discarded").isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void objectLargerThanTheMaximumIsPassedOnAsOversized() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(64));
        String big = "{\"a\":\"" + "y".repeat(100) + "\"}";
        ch.writeInbound(buf(big));
        OversizedFrame frame = oversized(ch);
        assertThat(new String(frame.bytes(), StandardCharsets.UTF_8)).isEqualTo(big);
        assertThat(frame.detail()).isEqualTo("frame of " + big.length() + " bytes exceeds the maximum of 64");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void blankBytesBetweenFramesCountAgainstTheFrameLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(64));
        ch.writeInbound(buf(" ".repeat(60) + "{}" + " ".repeat(60)));
        assertThat(frames(ch)).containsExactly("{}");
        ch.writeInbound(buf("\n".repeat(10)));
        OversizedFrame frame = oversized(ch);
        assertThat(frame.detail()).isEqualTo("65 blank bytes without a frame");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unfinishedObjectAtCloseIsDroppedWithoutAFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(4096));
        ch.writeInbound(buf(OBJ.substring(0, 20)));
        assertThat(ch.finish()).isFalse();
        assertThat(frames(ch)).isEmpty();
    }
}
