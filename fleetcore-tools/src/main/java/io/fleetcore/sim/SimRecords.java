package io.fleetcore.sim;

import io.fleetcore.model.DeviceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Realistic records of one simulated vehicle: a position that drives around its home, speed, engine
 * values that follow it, odometer counting up. Fix times advance one second per record from a start in
 * the past, so every record of a device has its own fix time (the ledger's key).
 */
public final class SimRecords {

    private final String device;
    private final SplittableRandom random;
    private long fixMillis;
    private double lat;
    private double lon;
    private double heading;
    private double speed;
    private double odometerM;
    private final int fuelPct;

    public SimRecords(String device, long seed, Instant firstFix) {
        this.device = device;
        this.random = new SplittableRandom(seed);
        this.fixMillis = firstFix.toEpochMilli();
        this.lat = 37.9 + random.nextDouble(-2, 2);
        this.lon = 23.7 + random.nextDouble(-2, 2);
        this.heading = random.nextDouble(360);
        this.odometerM = random.nextDouble(10_000_000, 300_000_000);
        this.fuelPct = random.nextInt(10, 100);
    }

    public String device() {
        return device;
    }

    /** The next record's state; returns its fix time. */
    private Instant advance() {
        fixMillis += 1000;
        speed = Math.max(0, Math.min(130, speed + random.nextDouble(-8, 9)));
        heading = (heading + random.nextDouble(-15, 15) + 360) % 360;
        double km = speed / 3600.0;
        odometerM += km * 1000;
        lat += km / 111.0 * Math.cos(Math.toRadians(heading));
        lon += km / 88.0 * Math.sin(Math.toRadians(heading));
        return Instant.ofEpochMilli(fixMillis);
    }

    private int rpm() {
        return speed < 1 ? 780 + random.nextInt(60) : (int) (900 + speed * 22 + random.nextInt(150));
    }

    /** Next record for Teltonika; {@code extended}: Codec 8E (adds OEM mileage). */
    public AvlRecord nextAvl(boolean extended, Instant[] fixOut, int index) {
        Instant t = advance();
        fixOut[index] = t;
        boolean moving = speed >= 1;
        Map<Integer, Long> io1 = new LinkedHashMap<>();
        io1.put(239, 1L);
        io1.put(240, moving ? 1L : 0L);
        io1.put(21, (long) random.nextInt(2, 6));
        io1.put(69, 1L);
        io1.put(37, (long) (int) speed);
        io1.put(32, (long) (85 + random.nextInt(10)));
        io1.put(31, (long) (int) Math.min(100, 15 + speed * 0.5));
        io1.put(48, (long) fuelPct);
        Map<Integer, Long> io2 = new LinkedHashMap<>();
        io2.put(66, (long) (13_800 + random.nextInt(400)));
        io2.put(67, (long) (4_000 + random.nextInt(100)));
        io2.put(36, (long) rpm());
        io2.put(51, (long) (14_100 + random.nextInt(200)));
        io2.put(181, (long) (8 + random.nextInt(10)));
        io2.put(182, (long) (6 + random.nextInt(8)));
        Map<Integer, Long> io4 = new LinkedHashMap<>();
        io4.put(16, (long) odometerM);
        if (extended) {
            io4.put(389, (long) (odometerM / 1000));
        }
        return new AvlRecord(t.toEpochMilli(), 0, (int) Math.round(lon * 1e7), (int) Math.round(lat * 1e7),
                120 + random.nextInt(40), (int) heading, 8 + random.nextInt(8), (int) speed, 0,
                io1, io2, io4, Map.of(), Map.of());
    }

    /**
     * Next record as fleetcore stores a Codec 8E one (raw IO values by id, canonical OBD keys): what the
     * storage benchmarks insert, so they write the same rows as the pipeline.
     */
    public DeviceRecord nextDeviceRecord() {
        Instant[] t = new Instant[1];
        AvlRecord a = nextAvl(true, t, 0);
        Map<String, Object> io = new TreeMap<>();
        for (Map<Integer, Long> group : List.of(a.io1(), a.io2(), a.io4(), a.io8())) {
            group.forEach((id, v) -> io.put(String.valueOf(id), v));
        }
        Map<String, Object> obd = new TreeMap<>();
        obd.put("rpm", a.io2().get(36));
        obd.put("speed_kmh", a.io1().get(37));
        obd.put("coolant_temp_c", a.io1().get(32));
        obd.put("engine_load_pct", a.io1().get(31));
        obd.put("fuel_level_pct", a.io1().get(48));
        obd.put("module_voltage_v", a.io2().get(51) / 1000.0);
        obd.put("obd_odometer_km", a.io4().get(389));
        return new DeviceRecord(device, t[0], a.latitudeE7() / 1e7, a.longitudeE7() / 1e7, (double) a.altitude(),
                (double) a.speedKmh(), a.angle(), a.satellites(), a.priority(), String.valueOf(a.eventIoId()),
                "teltonika", obd, io);
    }

    /** Next record as the json protocol's object, with raw OBD-II Mode 01 responses. */
    public byte[] nextJson(Instant[] fixOut, int index) {
        Instant t = advance();
        fixOut[index] = t;
        int rpm4 = rpm() * 4;
        HexFormat hex = HexFormat.of().withUpperCase();
        String obd = "\"410C" + hex.toHexDigits((short) rpm4) + "\",\"410D" + hex.toHexDigits((byte) (int) speed)
                + "\",\"4105" + hex.toHexDigits((byte) (125 + random.nextInt(10))) + "\",\"412F"
                + hex.toHexDigits((byte) (fuelPct * 255 / 100)) + "\"";
        String json = "{\"device_number\":\"" + device + "\",\"event_code\":\"" + (speed >= 1 ? "4002" : "4001")
                + "\",\"message_date\":\"" + t + "\",\"latitude\":\"" + String.format(java.util.Locale.ROOT, "%.7f", lat)
                + "\",\"longitude\":\"" + String.format(java.util.Locale.ROOT, "%.7f", lon) + "\",\"obd\":[" + obd + "]}\n";
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
