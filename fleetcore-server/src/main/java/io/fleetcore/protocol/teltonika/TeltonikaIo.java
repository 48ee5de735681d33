package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.Keys;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teltonika FMB AVL IO ids → canonical names ({@link Keys}) with their scaling, table-driven
 * (docs/protocols/teltonika.md, "Named IO"). Pure: a record's raw {@code io} (id as text → value as the decoder
 * keeps it) in, a new map of named values out; the raw map is not touched, ids without a name are left out,
 * and a value of the wrong kind (a variable-length hex string where a number belongs) is skipped, never an
 * error. The OBD-II ids are {@code obd}'s business, not listed here. The view {@code api.positions} names a
 * stored record's {@code io} with the same table ({@code api.io_names}, migration V11); a test keeps the two equal.
 */
public final class TeltonikaIo {

    /** How a raw unsigned value becomes the named one. */
    public enum Scale {
        /** 0/1 → false/true */
        FLAG,
        /** as sent */
        COUNT,
        /** × 0.001 (mV → V, mA → A) */
        MILLI,
        /** × 0.1 */
        DECI,
        /** two's complement of 16 bits */
        SIGNED_16,
        /** two's complement of 32 bits, × 0.1 */
        SIGNED_32_DECI,
        /** upper-case hex of 8 bytes */
        HEX_8
    }

    /**
     * One IO id: its canonical name, how its raw value is scaled, the unit of the named value ({@code ""}: a
     * count, level, state or flag), and whether it is an event IO: a record whose event IO id is this id and whose
     * value is non-zero raises a device event ({@link #events}).
     */
    public record Param(int id, String key, Scale scale, String unit, boolean event) {
    }

    /** The FMB AVL ids fleetcore names (docs/protocols/teltonika.md, "Named IO"); OBD ids are {@link TeltonikaObd}'s. */
    public static final List<Param> TABLE = List.of(
            new Param(1, Keys.DIGITAL_INPUT_1, Scale.FLAG, "", false),
            new Param(2, Keys.DIGITAL_INPUT_2, Scale.FLAG, "", false),
            new Param(3, Keys.DIGITAL_INPUT_3, Scale.FLAG, "", false),
            new Param(6, Keys.ANALOG_INPUT_2_V, Scale.MILLI, "V", false),
            new Param(9, Keys.ANALOG_INPUT_1_V, Scale.MILLI, "V", false),
            new Param(16, Keys.TOTAL_ODOMETER_M, Scale.COUNT, "m", false),
            new Param(17, Keys.AXIS_X_MG, Scale.SIGNED_16, "mG", false),
            new Param(18, Keys.AXIS_Y_MG, Scale.SIGNED_16, "mG", false),
            new Param(19, Keys.AXIS_Z_MG, Scale.SIGNED_16, "mG", false),
            new Param(21, Keys.GSM_SIGNAL, Scale.COUNT, "", false),
            new Param(24, Keys.GNSS_SPEED_KMH, Scale.COUNT, "km/h", false),
            new Param(66, Keys.EXTERNAL_VOLTAGE_V, Scale.MILLI, "V", false),
            new Param(67, Keys.BATTERY_VOLTAGE_V, Scale.MILLI, "V", false),
            new Param(68, Keys.BATTERY_CURRENT_A, Scale.MILLI, "A", false),
            new Param(69, Keys.GNSS_STATUS, Scale.COUNT, "", false),
            new Param(72, Keys.DALLAS_TEMP_1_C, Scale.SIGNED_32_DECI, "°C", false),
            new Param(73, Keys.DALLAS_TEMP_2_C, Scale.SIGNED_32_DECI, "°C", false),
            new Param(74, Keys.DALLAS_TEMP_3_C, Scale.SIGNED_32_DECI, "°C", false),
            new Param(75, Keys.DALLAS_TEMP_4_C, Scale.SIGNED_32_DECI, "°C", false),
            new Param(78, Keys.IBUTTON, Scale.HEX_8, "", false),
            new Param(80, Keys.DATA_MODE, Scale.COUNT, "", false),
            new Param(113, Keys.BATTERY_LEVEL_PCT, Scale.COUNT, "%", false),
            new Param(179, Keys.DIGITAL_OUTPUT_1, Scale.FLAG, "", false),
            new Param(180, Keys.DIGITAL_OUTPUT_2, Scale.FLAG, "", false),
            new Param(181, Keys.PDOP, Scale.DECI, "", false),
            new Param(182, Keys.HDOP, Scale.DECI, "", false),
            new Param(199, Keys.TRIP_ODOMETER_M, Scale.COUNT, "m", false),
            new Param(200, Keys.SLEEP_MODE, Scale.COUNT, "", false),
            new Param(205, Keys.CELL_ID, Scale.COUNT, "", false),
            new Param(206, Keys.LAC, Scale.COUNT, "", false),
            new Param(239, Keys.IGNITION, Scale.FLAG, "", false),
            new Param(240, Keys.MOVEMENT, Scale.FLAG, "", false),
            new Param(241, Keys.GSM_OPERATOR, Scale.COUNT, "", false),
            new Param(246, Keys.TOW, Scale.COUNT, "", true),
            new Param(247, Keys.CRASH, Scale.COUNT, "", true),
            new Param(249, Keys.JAMMING, Scale.COUNT, "", true),
            new Param(250, Keys.TRIP, Scale.COUNT, "", false),
            new Param(251, Keys.IDLING, Scale.FLAG, "", true),
            new Param(252, Keys.UNPLUG, Scale.COUNT, "", true),
            new Param(253, Keys.GREEN_DRIVING_TYPE, Scale.COUNT, "", true),
            new Param(254, Keys.GREEN_DRIVING_VALUE, Scale.COUNT, "", false),
            new Param(255, Keys.OVERSPEED, Scale.COUNT, "km/h", true),
            new Param(318, Keys.GNSS_JAMMING, Scale.COUNT, "", true));

    private static final Map<String, Param> BY_ID = new LinkedHashMap<>();

    static {
        for (Param p : TABLE) {
            BY_ID.put(Integer.toString(p.id()), p);
        }
    }

    private TeltonikaIo() {
    }

    /**
     * The named values of a record's raw {@code io}, in the order of the raw map, exactly as the view column
     * {@code io_named} computes them in PostgreSQL's numeric arithmetic (migration V11), so the read API can name
     * a page's rows here and write the same JSON: an integral number is named (Integer, Long, BigInteger, or a
     * BigDecimal without a fraction), anything else is left out; scaled values are decimals of PostgreSQL's
     * scale ({@code 4250} mV → {@code 4.250}), counts and 16-bit values whole numbers, hex values text.
     */
    public static Map<String, Object> name(Map<String, Object> io) {
        Map<String, Object> named = new LinkedHashMap<>();
        io.forEach((id, raw) -> {
            Param p = BY_ID.get(id);
            if (p != null) {
                if (raw instanceof Long || raw instanceof Integer) {
                    named.put(p.key(), scale(p.scale(), ((Number) raw).longValue()));
                } else if (raw instanceof BigInteger big) {
                    named.put(p.key(), scale(p.scale(), new BigDecimal(big)));
                } else if (raw instanceof BigDecimal dec && (dec.signum() == 0 || dec.stripTrailingZeros().scale() <= 0)) {
                    named.put(p.key(), scale(p.scale(), dec));
                }
            }
        });
        return named;
    }

    /**
     * The device events a record raises: one when its event IO id (the record's {@code eventCode}) is an event IO
     * of the table and that IO's value in the record is a non-zero number (Teltonika sends the value that ended
     * an alarm, e.g. unplug 0 when power is back, as an event too: that one is no event here). A periodic record
     * (event IO id 0) or an event IO carried along in a record raised by another id raises nothing.
     */
    public static List<DeviceEvent> events(DeviceRecord record) {
        Param p = record.eventCode() == null ? null : BY_ID.get(record.eventCode());
        if (p == null || !p.event()) {
            return List.of();
        }
        Object raw = record.io().get(record.eventCode());
        if ((raw instanceof Long || raw instanceof Integer) && ((Number) raw).longValue() != 0) {
            return List.of(new DeviceEvent(p.key(), ((Number) raw).longValue()));
        }
        return List.of();
    }

    private static final long TWO_16 = 1L << 16;
    private static final long TWO_32 = 1L << 32;
    private static final BigDecimal BIG_TWO_16 = BigDecimal.valueOf(TWO_16);
    private static final BigDecimal BIG_TWO_32 = BigDecimal.valueOf(TWO_32);
    private static final BigDecimal MILLI = new BigDecimal("0.001");
    private static final BigDecimal DECI = new BigDecimal("0.1");

    /** A raw value that fits a long; {@code %} truncates like PostgreSQL's {@code mod}. */
    private static Object scale(Scale scale, long v) {
        return switch (scale) {
            case FLAG -> v != 0;
            case COUNT -> v;
            case MILLI -> BigDecimal.valueOf(v, 3);
            case DECI -> BigDecimal.valueOf(v, 1);
            case SIGNED_16 -> signed16(v % TWO_16);
            case SIGNED_32_DECI -> BigDecimal.valueOf(signed32(v % TWO_32), 1);
            case HEX_8 -> hex8(v / TWO_32 % TWO_32) + hex8(v % TWO_32);
        };
    }

    /** A wider raw value (or a decimal without a fraction): the same arithmetic on decimals, scales as PostgreSQL's. */
    private static Object scale(Scale scale, BigDecimal n) {
        return switch (scale) {
            case FLAG -> n.signum() != 0;
            case COUNT -> n.scale() <= 0 ? n.toBigIntegerExact() : n;
            case MILLI -> n.multiply(MILLI);
            case DECI -> n.multiply(DECI);
            case SIGNED_16 -> signed16(n.remainder(BIG_TWO_16).longValue());
            case SIGNED_32_DECI -> BigDecimal.valueOf(signed32(n.remainder(BIG_TWO_32).longValue()), 1);
            case HEX_8 -> hex8(n.divideToIntegralValue(BIG_TWO_32).remainder(BIG_TWO_32).longValue())
                    + hex8(n.remainder(BIG_TWO_32).longValue());
        };
    }

    /** {@code (m::int # 32768) - 32768}. */
    private static long signed16(long m) {
        return (m ^ 0x8000L) - 0x8000L;
    }

    /** {@code (m::bigint # 2147483648) - 2147483648}. */
    private static long signed32(long m) {
        return (m ^ 0x8000_0000L) - 0x8000_0000L;
    }

    /** {@code lpad(upper(to_hex(m)), 8, '0')}: to_hex of a negative bigint is its 16 two's-complement digits, cut to 8 by lpad. */
    private static String hex8(long m) {
        String hex = Long.toHexString(m).toUpperCase(java.util.Locale.ROOT);
        return hex.length() >= 8 ? hex.substring(0, 8) : "0".repeat(8 - hex.length()) + hex;
    }
}
