package io.fleetcore.obd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every Mode 01 PID of the table in docs/protocols/teltonika.md, at its edges. */
class J1979Test {

    private static Number value(String hex, String key) {
        J1979.Value v = J1979.decode(hex);
        assertThat(v).as(hex).isNotNull();
        assertThat(v.key()).isEqualTo(key);
        return v.value();
    }

    @Test
    void engineLoad04() {
        assertThat(value("4104FF", "engine_load_pct")).isEqualTo(100L);
        assertThat(value("410480", "engine_load_pct")).isEqualTo(50.2);
        assertThat(value("410400", "engine_load_pct")).isEqualTo(0L);
    }

    @Test
    void coolant05IsOffsetBy40() {
        assertThat(value("410500", "coolant_temp_c")).isEqualTo(-40L);
        assertThat(value("41057B", "coolant_temp_c")).isEqualTo(83L);
        assertThat(value("4105FF", "coolant_temp_c")).isEqualTo(215L);
    }

    @Test
    void rpm0C() {
        assertThat(value("410C1AF8", "rpm")).isEqualTo(1726L);
        assertThat(value("410C0001", "rpm")).isEqualTo(0.25);
        assertThat(value("410CFFFF", "rpm")).isEqualTo(16383.75);
    }

    @Test
    void speed0D() {
        assertThat(value("410D32", "speed_kmh")).isEqualTo(50L);
        assertThat(value("410DFF", "speed_kmh")).isEqualTo(255L);
    }

    @Test
    void intake0F() {
        assertThat(value("410F28", "intake_air_temp_c")).isEqualTo(0L);
        assertThat(value("410F00", "intake_air_temp_c")).isEqualTo(-40L);
    }

    @Test
    void maf10() {
        assertThat(value("41100190", "maf_gps")).isEqualTo(4L);
        assertThat(value("411001F5", "maf_gps")).isEqualTo(5.01);
        assertThat(value("4110FFFF", "maf_gps")).isEqualTo(655.35);
    }

    @Test
    void throttle11() {
        assertThat(value("4111FF", "throttle_pct")).isEqualTo(100L);
        assertThat(value("411133", "throttle_pct")).isEqualTo(20L);
    }

    @Test
    void fuelLevel2F() {
        assertThat(value("412FCC", "fuel_level_pct")).isEqualTo(80L);
        assertThat(value("412F01", "fuel_level_pct")).isEqualTo(0.39);
    }

    @Test
    void ambient46() {
        assertThat(value("41463C", "ambient_air_temp_c")).isEqualTo(20L);
    }

    @Test
    void odometerA6() {
        assertThat(value("41A600012D6B", "obd_odometer_km")).isEqualTo(7716.3);
        assertThat(value("41A6FFFFFFFF", "obd_odometer_km")).isEqualTo(429496729.5);
    }

    @Test
    void unknownOrMalformedResponsesAreNotNamed() {
        assertThat(J1979.decode("4101830764E0")).as("PID 01 is not in the table").isNull();
        assertThat(J1979.decode("410C1A")).as("rpm needs two bytes").isNull();
        assertThat(J1979.decode("410C")).isNull();
        assertThat(J1979.decode("7F0112")).as("negative response").isNull();
        assertThat(J1979.decode("41A6010203")).as("odometer needs four bytes").isNull();
        assertThat(J1979.decode("zz")).isNull();
    }

    @Test
    void decodeAllNamesKnownAndSkipsTheRest() {
        Map<String, Object> obd = new LinkedHashMap<>();
        J1979.decodeAll(List.of("410C1AF8", "4101830764E0", "410D32"), obd);
        assertThat(obd).containsExactly(Map.entry("rpm", 1726L), Map.entry("speed_kmh", 50L));
    }
}
