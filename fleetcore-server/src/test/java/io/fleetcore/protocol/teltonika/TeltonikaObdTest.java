package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fleetcore.model.DeviceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeltonikaObdTest {

    private static DeviceRecord record(Map<String, Object> io) {
        return new DeviceRecord("dev-1", Instant.parse("2024-01-01T00:00:00Z"), 1, 2, null, null, null, null, null,
                "1", TeltonikaProtocolDecoder.PROTOCOL, Map.of(), io);
    }

    private static String hex(String text) {
        return HexFormat.of().withUpperCase().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void teltonikaObdIdsGetCanonicalNamesAndScaling() {
        Map<String, Object> io = new LinkedHashMap<>();
        io.put("30", 2L);
        io.put("31", 45L);
        io.put("32", 0xF6L);      // -10 °C, 1-byte signed
        io.put("36", 1726L);
        io.put("37", 88L);
        io.put("39", 25L);
        io.put("40", 1234L);      // 12.34 g/s
        io.put("41", 17L);
        io.put("48", 63L);
        io.put("51", 14123L);     // 14.123 V
        io.put("53", 0xFFFEL);    // -2 °C sent in a 2-byte group
        io.put("389", 123456L);
        io.put("256", hex("WVWZZZ1JZXW000001") + "00");
        io.put("281", hex("P0101,P0300, U0100"));
        io.put("66", 12800L);
        io.put("9999", 7L);
        DeviceRecord out = TeltonikaObd.named(record(io));
        assertThat(out.obd()).containsOnly(
                entry("dtc_count", 2L), entry("engine_load_pct", 45L), entry("coolant_temp_c", -10L),
                entry("rpm", 1726L), entry("speed_kmh", 88L), entry("intake_air_temp_c", 25L),
                entry("maf_gps", 12.34), entry("throttle_pct", 17L), entry("fuel_level_pct", 63L),
                entry("module_voltage_v", 14.123), entry("ambient_air_temp_c", -2L), entry("obd_odometer_km", 123456L),
                entry("vin", "WVWZZZ1JZXW000001"), entry("dtcs", List.of("P0101", "P0300", "U0100")));
        assertThat(out.io()).as("raw values stay").isEqualTo(io);
    }

    @Test
    void signedTemperatures() {
        assertThat(TeltonikaObd.signed(0x7F)).isEqualTo(127);
        assertThat(TeltonikaObd.signed(0x80)).isEqualTo(-128);
        assertThat(TeltonikaObd.signed(0xFF)).isEqualTo(-1);
        assertThat(TeltonikaObd.signed(0)).isZero();
    }

    @Test
    void allZeroVinIsNoVin() {
        DeviceRecord out = TeltonikaObd.named(record(Map.of("256", "00".repeat(17))));
        assertThat(out.obd()).isEmpty();
    }
}
