package io.fleetcore.protocol.gt06;

import io.fleetcore.protocol.Crc16;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.Keys;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.UnstorableContentException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GT06 / Concox (docs/protocols/gt06.md). Pure: one {@link Gt06Frame} in, a {@link Gt06Message} out, or a
 * {@link ProtocolException} naming what is wrong: transport damage (bad-start, bad-length, bad-stop, bad-crc,
 * truncated-content), a frame before login (not-logged-in), a login without a BCD terminal id (bad-imei), a
 * protocol number fleetcore does not decode (unsupported-message); or an {@link UnstorableContentException}
 * (bad-timestamp) for an intact frame whose date can never be stored. Login (0x01) names the device; location
 * (0x12, 0x22) and alarm (0x16, 0x26) carry one record each; heartbeat (0x13, 0x23) carries the terminal status.
 * Cell and terminal information go into the record's {@code io} under {@link Keys} names.
 */
public final class Gt06ProtocolDecoder {

    public static final String PROTOCOL = "gt06";
    public static final int LOGIN = 0x01;
    public static final int LOCATION = 0x12;
    public static final int LOCATION_2 = 0x22;
    public static final int HEARTBEAT = 0x13;
    public static final int HEARTBEAT_2 = 0x23;
    public static final int ALARM = 0x16;
    public static final int ALARM_2 = 0x26;
    /** latitude and longitude units per degree: 30000 per minute */
    static final double UNITS_PER_DEGREE = 1_800_000.0;

    /** The alarm byte of an alarm frame → the record's event code; codes not listed become {@code alarm_XX} (hex). */
    static final Map<Integer, String> ALARMS = Map.of(
            0x01, Keys.SOS,
            0x02, Keys.POWER_CUT,
            0x03, Keys.VIBRATION,
            0x04, Keys.GEOFENCE_ENTER,
            0x05, Keys.GEOFENCE_EXIT,
            0x06, Keys.OVERSPEED);
    /** terminal information bits 3-5 → the alarm the terminal reports in its status */
    static final Map<Integer, String> TERMINAL_ALARMS = Map.of(
            1, Keys.VIBRATION,
            2, Keys.POWER_CUT,
            3, Keys.LOW_BATTERY,
            4, Keys.SOS);

    /** Frames the protocol answers: login, heartbeat, alarm. Location frames get no reply. */
    static boolean answered(int protocolNumber) {
        return switch (protocolNumber) {
            case LOGIN, HEARTBEAT, HEARTBEAT_2, ALARM, ALARM_2 -> true;
            default -> false;
        };
    }

    public Gt06Message decode(Gt06Frame frame) throws ProtocolException {
        byte[] f = frame.bytes();
        String imei = frame.imei();
        int header = envelope(f, imei);
        int protocolNumber = f[header] & 0xFF;
        int serial = ((f[f.length - 6] & 0xFF) << 8) | (f[f.length - 5] & 0xFF);
        ByteBuffer content = ByteBuffer.wrap(f, header + 1, f.length - 6 - header - 1);
        try {
            if (protocolNumber == LOGIN) {
                return new Gt06Message(protocolNumber, serial, terminalId(content, f), List.of(), Map.of());
            }
            if (imei == null) {
                throw new ProtocolException("not-logged-in", String.format("protocol %02X before a login frame", protocolNumber));
            }
            return switch (protocolNumber) {
                case LOCATION, LOCATION_2 -> record(protocolNumber, serial, imei, location(content, imei, protocolNumber == LOCATION_2));
                case ALARM, ALARM_2 -> record(protocolNumber, serial, imei, alarm(content, imei));
                case HEARTBEAT, HEARTBEAT_2 -> new Gt06Message(protocolNumber, serial, imei, List.of(), status(content));
                default -> throw new ProtocolException("unsupported-message",
                        String.format("protocol %02X is not decoded (login 01, location 12/22, heartbeat 13/23, alarm 16/26)", protocolNumber), imei);
            };
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated-content", String.format("protocol %02X content of %d bytes is too short",
                    protocolNumber, f.length - 7 - header), imei);
        }
    }

    private static Gt06Message record(int protocolNumber, int serial, String imei, DeviceRecord record) {
        return new Gt06Message(protocolNumber, serial, imei, List.of(record), Map.of());
    }

    /** Checks start, length, stop bits and CRC; returns the offset of the protocol number. */
    private static int envelope(byte[] f, String imei) throws ProtocolException {
        if (f.length < 2 || !(f[0] == 0x78 && f[1] == 0x78 || f[0] == 0x79 && f[1] == 0x79)) {
            throw new ProtocolException("bad-start", "frame must start with 7878 or 7979: " + head(f), imei);
        }
        boolean shortFrame = f[0] == 0x78;
        int header = shortFrame ? 3 : 4;
        // protocol number, serial and CRC at least
        if (f.length < header + 5 + 2) {
            throw new ProtocolException("bad-length", "frame of " + f.length + " bytes is shorter than the smallest GT06 frame", imei);
        }
        int length = shortFrame ? f[2] & 0xFF : ((f[2] & 0xFF) << 8) | (f[3] & 0xFF);
        if (length != f.length - header - 2) {
            throw new ProtocolException("bad-length", "length " + length + " but " + (f.length - header - 2) + " bytes follow", imei);
        }
        if (f[f.length - 2] != 0x0D || f[f.length - 1] != 0x0A) {
            throw new ProtocolException("bad-stop", "frame must end with 0D0A: " + head(f), imei);
        }
        int sent = ((f[f.length - 4] & 0xFF) << 8) | (f[f.length - 3] & 0xFF);
        int crc = Crc16.X25.of(f, 2, f.length - 6);
        if (sent != crc) {
            throw new ProtocolException("bad-crc", String.format("CRC %04X sent, %04X computed", sent, crc), imei);
        }
        return header;
    }

    private static String head(byte[] f) {
        return HexFormat.of().withUpperCase().formatHex(f, 0, Math.min(f.length, 32));
    }

    /** 8 bytes BCD: the IMEI with a leading 0 (16 digits; the leading 0 is dropped). */
    private static String terminalId(ByteBuffer content, byte[] f) throws ProtocolException {
        StringBuilder digits = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            int b = content.get() & 0xFF;
            if (b >>> 4 > 9 || (b & 0x0F) > 9) {
                throw new ProtocolException("bad-imei", "terminal id is not BCD: " + head(f));
            }
            digits.append(b >>> 4).append(b & 0x0F);
        }
        return digits.charAt(0) == '0' ? digits.substring(1) : digits.toString();
    }

    /** date-time, GPS info, latitude, longitude, speed, course/status, then the cell (0x22: ACC, upload mode, re-upload, mileage). */
    private static DeviceRecord location(ByteBuffer c, String imei, boolean extended) throws ProtocolException {
        Map<String, Object> io = new LinkedHashMap<>();
        Fix fix = fix(c, imei, io);
        cell(c, io);
        if (extended && c.remaining() >= 3) {
            io.put(Keys.IGNITION, c.get() != 0);
            io.put("upload_mode", c.get() & 0xFF);
            io.put("re_upload", c.get() != 0);
            if (c.remaining() >= 4) {
                io.put("mileage", c.getInt() & 0xFFFFFFFFL);
            }
        }
        return fix.record(imei, null, io);
    }

    /** location as 0x12, LBS with its length byte, terminal info, voltage level, GSM signal, alarm, language. */
    private static DeviceRecord alarm(ByteBuffer c, String imei) throws ProtocolException {
        Map<String, Object> io = new LinkedHashMap<>();
        Fix fix = fix(c, imei, io);
        int lbsLength = c.get() & 0xFF;
        if (lbsLength > 0) {
            int at = c.position();
            cell(c, io);
            // the length counts itself and the 8 cell bytes; skip what a longer LBS block adds
            int end = at - 1 + lbsLength;
            if (end > c.limit()) {
                throw new BufferUnderflowException();
            }
            c.position(Math.max(c.position(), end));
        }
        terminal(c, io);
        int alarm = c.get() & 0xFF;
        io.put("alarm_code", alarm);
        io.put("language", c.get() & 0xFF);
        String event = alarm == 0 ? null : ALARMS.getOrDefault(alarm, String.format("alarm_%02x", alarm));
        return fix.record(imei, event, io);
    }

    /** terminal info, voltage level (1 byte, 0-6; 0x23 of newer models: 2 bytes, 0.01 V), GSM signal, alarm, language. */
    private static Map<String, Object> status(ByteBuffer c) {
        Map<String, Object> status = new LinkedHashMap<>();
        boolean voltage = c.remaining() >= 6;
        int info = c.get() & 0xFF;
        status.put("terminal_info", info);
        terminalBits(info, status);
        if (voltage) {
            status.put(Keys.EXTERNAL_VOLTAGE_V, (c.getShort() & 0xFFFF) / 100.0);
        } else {
            status.put("voltage_level", c.get() & 0xFF);
        }
        status.put(Keys.GSM_SIGNAL, c.get() & 0xFF);
        status.put("alarm_code", c.get() & 0xFF);
        status.put("language", c.get() & 0xFF);
        return status;
    }

    private static void terminal(ByteBuffer c, Map<String, Object> io) {
        int info = c.get() & 0xFF;
        io.put("terminal_info", info);
        terminalBits(info, io);
        io.put("voltage_level", c.get() & 0xFF);
        io.put(Keys.GSM_SIGNAL, c.get() & 0xFF);
    }

    /** bit 0 armed, 1 ACC, 2 charging, 3-5 alarm, 6 GPS tracking on, 7 oil and electricity cut. */
    private static void terminalBits(int info, Map<String, Object> out) {
        out.put("armed", (info & 0x01) != 0);
        out.put(Keys.IGNITION, (info & 0x02) != 0);
        out.put(Keys.CHARGING, (info & 0x04) != 0);
        String alarm = TERMINAL_ALARMS.get((info >>> 3) & 0x07);
        if (alarm != null) {
            out.put("terminal_alarm", alarm);
        }
        out.put("gps_tracking", (info & 0x40) != 0);
        out.put("fuel_cut", (info & 0x80) != 0);
    }

    /** MCC (2) · MNC (1) · LAC (2) · cell id (3). */
    private static void cell(ByteBuffer c, Map<String, Object> io) {
        io.put(Keys.MCC, c.getShort() & 0xFFFF);
        io.put(Keys.MNC, c.get() & 0xFF);
        io.put(Keys.LAC, c.getShort() & 0xFFFF);
        io.put(Keys.CELL_ID, ((c.get() & 0xFF) << 16) | ((c.get() & 0xFF) << 8) | (c.get() & 0xFF));
    }

    private record Fix(Instant time, double latitude, double longitude, int speed, int course, int satellites) {

        DeviceRecord record(String imei, String event, Map<String, Object> io) {
            return new DeviceRecord(imei, time, latitude, longitude, null, (double) speed, course, satellites, null, event,
                    PROTOCOL, Map.of(), io);
        }
    }

    private static Fix fix(ByteBuffer c, String imei, Map<String, Object> io) throws ProtocolException {
        int year = c.get() & 0xFF;
        int month = c.get() & 0xFF;
        int day = c.get() & 0xFF;
        int hour = c.get() & 0xFF;
        int minute = c.get() & 0xFF;
        int second = c.get() & 0xFF;
        Instant time;
        try {
            time = LocalDateTime.of(2000 + year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new UnstorableContentException("bad-timestamp",
                    String.format("date-time %02d-%02d-%02d %02d:%02d:%02d is not a date", year, month, day, hour, minute, second), imei);
        }
        int satellites = c.get() & 0x0F;
        double latitude = (c.getInt() & 0xFFFFFFFFL) / UNITS_PER_DEGREE;
        double longitude = (c.getInt() & 0xFFFFFFFFL) / UNITS_PER_DEGREE;
        int speed = c.get() & 0xFF;
        int courseStatus = c.getShort() & 0xFFFF;
        io.put(Keys.GNSS_FIXED, (courseStatus & 0x1000) != 0);
        if ((courseStatus & 0x0400) == 0) {
            latitude = -latitude;
        }
        if ((courseStatus & 0x0800) != 0) {
            longitude = -longitude;
        }
        return new Fix(time, latitude, longitude, speed, courseStatus & 0x03FF, satellites);
    }
}
