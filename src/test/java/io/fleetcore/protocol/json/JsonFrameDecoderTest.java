package io.fleetcore.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void garbageWithoutFrameClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
        byte[] junk = new byte[4096];
        java.util.Arrays.fill(junk, (byte) 'x');
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        assertThat(frames(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void objectLargerThanTheMaximumClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(64));
        ch.writeInbound(buf("{\"a\":\"" + "y".repeat(100) + "\"}"));
        assertThat(frames(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void unfinishedObjectAtCloseIsDroppedWithoutAFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(4096));
        ch.writeInbound(buf(OBJ.substring(0, 20)));
        assertThat(ch.finish()).isFalse();
        assertThat(frames(ch)).isEmpty();
    }
}
