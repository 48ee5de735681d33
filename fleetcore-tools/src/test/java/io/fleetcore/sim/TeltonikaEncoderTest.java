package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's encoder produces the exact bytes of the vectors in docs/protocols/teltonika.md. */
class TeltonikaEncoderTest {

    static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @SafeVarargs
    static <V> Map<Integer, V> io(Object... idValue) {
        Map<Integer, V> m = new LinkedHashMap<>();
        for (int i = 0; i < idValue.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) idValue[i + 1];
            m.put((Integer) idValue[i], v);
        }
        return m;
    }

    static AvlRecord noPosition(long time, int priority, int event, Map<Integer, Long> io1, Map<Integer, Long> io2,
                                Map<Integer, Long> io4, Map<Integer, Long> io8) {
        return new AvlRecord(time, priority, 0, 0, 0, 0, 0, 0, event, io1, io2, io4, io8, Map.of());
    }

    @Test
    void crcCheckValueOfTheSpec() {
        byte[] ascii = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(TeltonikaEncoder.crc16(ascii, 0, ascii.length)).isEqualTo(0xBB3D);
    }

    @Test
    void loginIsLengthAndImeiDigits() {
        assertThat(hex(TeltonikaEncoder.login("356307042441013"))).isEqualTo("000F333536333037303432343431303133");
    }

    @Test
    void vector1Codec8IoInEveryWidth() {
        AvlRecord r = noPosition(1560161086000L, 1, 1, io(21, 3L, 1, 1L), io(66, 24079L), io(241, 24602L), io(78, 0L));
        assertThat(hex(TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8, List.of(r)))).isEqualTo(
                "000000000000003608010000016B40D8EA30010000000000000000000000000000000105021503010101425E0F01F10000601A014E0000000000000000010000C7CF");
    }

    @Test
    void vector2Codec8() {
        AvlRecord r = noPosition(1560161136000L, 1, 1, io(21, 3L, 1, 1L), io(66, 24080L), Map.of(), Map.of());
        assertThat(hex(TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8, List.of(r)))).isEqualTo(
                "000000000000002808010000016B40D9AD80010000000000000000000000000000000103021503010101425E100000010000F22A");
    }

    @Test
    void vector3Codec8TwoRecords() {
        AvlRecord r1 = noPosition(1560160861000L, 1, 1, io(1, 0L), Map.of(), Map.of(), Map.of());
        AvlRecord r2 = noPosition(1560160879000L, 1, 1, io(1, 1L), Map.of(), Map.of(), Map.of());
        assertThat(hex(TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8, List.of(r1, r2)))).isEqualTo(
                "000000000000004308020000016B40D57B480100000000000000000000000000000001010101000000000000016B40D5C198010000000000000000000000000000000101010101000000020000252C");
    }

    @Test
    void vector4Codec8Extended() {
        AvlRecord r = noPosition(1560166592000L, 1, 1, io(1, 1L), io(17, 29L), io(16, 22949000L),
                io(11, 893700218L, 14, 500686954L));
        assertThat(hex(TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8E, List.of(r)))).isEqualTo(
                "000000000000004A8E010000016B412CEE000100000000000000000000000000000000010005000100010100010011001D00010010015E2C880002000B000000003544C87A000E000000001DD7E06A00000100002994");
    }

    @Test
    void vector5Codec8ExtendedPositionAndVariableLength() {
        AvlRecord r = new AvlRecord(1510658324000L, 0, 252562916, 546676016, 138, 0, 6, 0, 0,
                io(239, 0L), io(17, 30L), io(16, 52191L), io(11, 893700213L, 14, 700441809L),
                Map.of(256, new byte[17]));
        assertThat(hex(TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8E, List.of(r)))).isEqualTo(
                "000000000000005F8E010000015FBA40B620000F0DCDE420959D30008A000006000000000006000100EF0000010011001E000100100000CBDF0002000B000000003544C875000E0000000029BFE4D10001010000110000000000000000000000000000000000010000D153");
    }

    @Test
    void codec8RefusesWhatOnlyCodec8eCanCarry() {
        AvlRecord r = noPosition(1L, 0, 0, Map.of(), Map.of(), io(389, 5L), Map.of());
        assertThatThrownBy(() -> TeltonikaEncoder.packet(TeltonikaEncoder.CODEC_8, List.of(r)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("389");
    }
}
