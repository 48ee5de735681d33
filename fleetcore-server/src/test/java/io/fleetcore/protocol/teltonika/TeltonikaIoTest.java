package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolTest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every id of the named IO table with a raw value and its named, scaled value; the raw io stays as it was. */
class TeltonikaIoTest extends ProtocolTest {

    @ParameterizedTest(name = "IO {0} = {1} → {2} = {3}")
    @CsvSource({
        "1, 1, digital_input_1, true",
        "2, 0, digital_input_2, false",
        "3, 1, digital_input_3, true",
        "6, 4250, analog_input_2_v, 4.250",
        "9, 12034, analog_input_1_v, 12.034",
        "16, 22949000, total_odometer_m, 22949000",
        "17, 65506, axis_x_mg, -30",
        "18, 29, axis_y_mg, 29",
        "19, 64536, axis_z_mg, -1000",
        "21, 4, gsm_signal, 4",
        "24, 87, gnss_speed_kmh, 87",
        "66, 24079, external_voltage_v, 24.079",
        "67, 4012, battery_voltage_v, 4.012",
        "68, 150, battery_current_a, 0.150",
        "69, 1, gnss_status, 1",
        "72, 215, dallas_temp_1_c, 21.5",
        "73, 4294967291, dallas_temp_2_c, -0.5",
        "74, 0, dallas_temp_3_c, 0.0",
        "75, 1000, dallas_temp_4_c, 100.0",
        "78, 1311768467463790320, ibutton, 123456789ABCDEF0",
        "80, 3, data_mode, 3",
        "113, 87, battery_level_pct, 87",
        "179, 1, digital_output_1, true",
        "180, 0, digital_output_2, false",
        "181, 12, pdop, 1.2",
        "182, 8, hdop, 0.8",
        "199, 5120, trip_odometer_m, 5120",
        "200, 2, sleep_mode, 2",
        "205, 30481, cell_id, 30481",
        "206, 4000, lac, 4000",
        "239, 1, ignition, true",
        "240, 0, movement, false",
        "241, 24602, gsm_operator, 24602",
        "246, 1, tow, 1",
        "247, 2, crash, 2",
        "249, 1, jamming, 1",
        "250, 1, trip, 1",
        "251, 1, idling, true",
        "252, 1, unplug, 1",
        "253, 2, green_driving_type, 2",
        "254, 36, green_driving_value, 36",
        "255, 132, overspeed, 132",
        "318, 2, gnss_jamming, 2",
    })
    void everyIdIsNamedAndScaled(String id, long raw, String key, String expected) {
        Map<String, Object> named = TeltonikaIo.name(Map.of(id, raw));
        assertThat(named).containsOnlyKeys(key);
        assertThat(String.valueOf(named.get(key))).isEqualTo(expected);
        Object value = named.get(key);
        switch (TeltonikaIo.TABLE.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().scale()) {
            case FLAG -> assertThat(value).isInstanceOf(Boolean.class);
            case COUNT, SIGNED_16 -> assertThat(value).isInstanceOf(Long.class);
            case MILLI, DECI, SIGNED_32_DECI -> assertThat(value).isInstanceOf(java.math.BigDecimal.class);
            case HEX_8 -> assertThat(value).isInstanceOf(String.class);
        }
    }

    /** Over the decoder's whole range (unsigned raw values): exact decimals of PostgreSQL's scale, two's complements, 16 hex digits. */
    @Test
    void scaledValuesAreTheExactDecimalsOfTheRawValue() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            long raw = switch (i % 4) {
                case 0 -> random.nextLong(0, 1L << 32);
                case 1 -> random.nextLong(0, 1L << 16);
                case 2 -> random.nextLong(0, Long.MAX_VALUE);
                default -> random.nextLong(0, 100_000);
            };
            assertThat(TeltonikaIo.name(Map.of("9", raw)).get("analog_input_1_v")).as("milli of %d", raw)
                    .isEqualTo(java.math.BigDecimal.valueOf(raw).movePointLeft(3).setScale(3));
            assertThat(TeltonikaIo.name(Map.of("72", raw)).get("dallas_temp_1_c")).as("signed deci of %d", raw)
                    .isEqualTo(java.math.BigDecimal.valueOf((int) raw).movePointLeft(1).setScale(1));
            assertThat(TeltonikaIo.name(Map.of("17", raw)).get("axis_x_mg")).as("signed 16 of %d", raw)
                    .isEqualTo((long) (short) raw);
            assertThat(TeltonikaIo.name(Map.of("78", raw)).get("ibutton")).isEqualTo(String.format("%016X", raw));
        }
        assertThat(TeltonikaIo.name(Map.of("78", new java.math.BigInteger("18446744073709551615"))).get("ibutton"))
                .isEqualTo("FFFFFFFFFFFFFFFF");
        assertThat(TeltonikaIo.name(Map.of("66", new java.math.BigDecimal("1.5")))).as("a fraction is no raw value").isEmpty();
        assertThat(TeltonikaIo.name(Map.of("66", new java.math.BigDecimal("24079.0")))).as("a whole decimal is")
                .containsEntry("external_voltage_v", new java.math.BigDecimal("24.0790"));
    }

    @Test
    void theTableCoversEveryTestedIdOnceAndNamesAreUnique() {
        assertThat(TeltonikaIo.TABLE).hasSize(43);
        assertThat(TeltonikaIo.TABLE.stream().map(TeltonikaIo.Param::id)).doesNotHaveDuplicates();
        assertThat(TeltonikaIo.TABLE.stream().map(TeltonikaIo.Param::key)).doesNotHaveDuplicates();
        assertThat(TeltonikaIo.TABLE.stream().filter(TeltonikaIo.Param::event).map(TeltonikaIo.Param::key))
                .containsExactly("tow", "crash", "jamming", "idling", "unplug", "green_driving_type", "overspeed",
                        "gnss_jamming");
        assertThat(TeltonikaIo.TABLE.stream().filter(p -> !p.unit().isEmpty())
                .map(p -> p.key() + " " + p.unit())).containsExactly("analog_input_2_v V", "analog_input_1_v V",
                "total_odometer_m m", "axis_x_mg mG", "axis_y_mg mG", "axis_z_mg mG", "gnss_speed_kmh km/h",
                "external_voltage_v V", "battery_voltage_v V", "battery_current_a A", "dallas_temp_1_c °C",
                "dallas_temp_2_c °C", "dallas_temp_3_c °C", "dallas_temp_4_c °C", "battery_level_pct %",
                "trip_odometer_m m", "overspeed km/h");
    }

    @Test
    void vectorV1IsNamedAndItsRawIoIsLeftAsItWas() throws Exception {
        DeviceRecord r = new TeltonikaProtocolDecoder().decode(TeltonikaVectors.IMEI, binary(TeltonikaVectors.V1)).get(0);
        Map<String, Object> raw = Map.copyOf(r.io());
        assertThat(TeltonikaIo.name(r.io())).containsOnly(entry("gsm_signal", 3L), entry("digital_input_1", true),
                entry("external_voltage_v", new java.math.BigDecimal("24.079")), entry("gsm_operator", 24602L), entry("ibutton", "0000000000000000"));
        assertThat(TeltonikaIo.events(r)).as("event IO 1 (digital input 1) is no event IO").isEmpty();
        assertThat(r.io()).isEqualTo(raw);
    }

    @Test
    void valuesOfTheWrongKindAreSkipped() {
        Map<String, Object> io = Map.of("246", 0L, "247", 1L, "249", 1L, "239", "0A", "30", 2L, "9999", 1L,
                "16", new BigInteger("18446744073709551615"));
        assertThat(TeltonikaIo.name(io)).containsOnly(entry("tow", 0L), entry("crash", 1L), entry("jamming", 1L),
                entry("total_odometer_m", new BigInteger("18446744073709551615")));
    }

    @Test
    void theCrashVectorDecodesNamesAndRaisesOneCrashEvent() throws Exception {
        List<DeviceRecord> records = new TeltonikaProtocolDecoder().decode(TeltonikaVectors.IMEI, binary(TeltonikaVectors.CRASH));
        assertThat(records).hasSize(1);
        DeviceRecord r = records.get(0);
        assertThat(r.deviceUid()).isEqualTo(TeltonikaVectors.IMEI);
        assertThat(r.fixTime()).isEqualTo(Instant.parse("2026-11-30T10:15:30Z"));
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.longitude()).isEqualTo(23.73152);
        assertThat(r.latitude()).isEqualTo(37.9815116);
        assertThat(r.altitude()).isEqualTo(120.0);
        assertThat(r.angle()).isEqualTo(90);
        assertThat(r.satellites()).isEqualTo(9);
        assertThat(r.speedKmh()).isEqualTo(54.0);
        assertThat(r.eventCode()).isEqualTo("247");
        assertThat(r.io()).containsOnly(entry("247", 1L), entry("239", 1L), entry("240", 1L), entry("21", 4L),
                entry("66", 12500L), entry("17", 65506L), entry("16", 123456L));
        assertThat(TeltonikaIo.name(r.io())).containsOnly(entry("crash", 1L), entry("ignition", true),
                entry("movement", true), entry("gsm_signal", 4L), entry("external_voltage_v", new java.math.BigDecimal("12.500")),
                entry("axis_x_mg", -30L), entry("total_odometer_m", 123456L));
        assertThat(TeltonikaIo.events(r)).containsExactly(new DeviceEvent("crash", 1));
        assertThat(new TeltonikaProtocol(1 << 16).events(r)).containsExactly(new DeviceEvent("crash", 1));
    }

    @Test
    void theEndOfAnAlarmRaisesNothing() throws Exception {
        DeviceRecord r = new TeltonikaProtocolDecoder().decode(TeltonikaVectors.IMEI, binary(TeltonikaVectors.UNPLUG_END)).get(0);
        assertThat(r.eventCode()).isEqualTo("252");
        assertThat(r.io()).containsOnly(entry("252", 0L), entry("239", 0L), entry("66", 0L));
        assertThat(TeltonikaIo.events(r)).as("unplug 0: power is back").isEmpty();
    }

    @ParameterizedTest(name = "event IO {0}, io {1} → {2}")
    @CsvSource(delimiter = ';', value = {
        "246; 246=1; tow 1",
        "249; 249=2; jamming 2",
        "251; 251=1; idling 1",
        "252; 252=1; unplug 1",
        "253; 253=3; green_driving_type 3",
        "255; 255=132; overspeed 132",
        "318; 318=2; gnss_jamming 2",
        "0; 247=1; none",
        "1; 247=1,1=1; none",
        "247; 239=1; none",
        "247; 247=0; none",
        "250; 250=1; none",
        "x; 247=1; none",
    })
    void onlyARecordRaisedByANonZeroEventIoRaisesAnEvent(String eventId, String io, String expected) {
        Map<String, Object> raw = new java.util.LinkedHashMap<>();
        for (String kv : io.split(",")) {
            raw.put(kv.split("=")[0], Long.parseLong(kv.split("=")[1]));
        }
        DeviceRecord r = new DeviceRecord(TeltonikaVectors.IMEI, Instant.EPOCH, 0, 0, null, null, null, null, 1, eventId,
                "teltonika", Map.of(), raw);
        List<DeviceEvent> events = TeltonikaIo.events(r);
        if (expected.equals("none")) {
            assertThat(events).isEmpty();
        } else {
            assertThat(events).containsExactly(new DeviceEvent(expected.split(" ")[0], Long.parseLong(expected.split(" ")[1])));
        }
    }

    @Test
    void aValueOfTheWrongKindOnTheEventIoRaisesNothing() {
        DeviceRecord r = new DeviceRecord(TeltonikaVectors.IMEI, Instant.EPOCH, 0, 0, null, null, null, null, 1, "247",
                "teltonika", Map.of(), Map.of("247", "01"));
        assertThat(TeltonikaIo.events(r)).isEmpty();
    }
}
