package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetcore.protocol.Crc16;
import io.fleetcore.protocol.gt06.Gt06Vectors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** GT06 bytes on a socket → rows in the real PostgreSQL and the protocol's replies, through the real route files. */
class Gt06GatewayIT extends BinaryGatewayIT {

    private static final AtomicInteger DEVICES = new AtomicInteger();

    int port() {
        return Integer.parseInt(fc.setting("fleetcore.gt06.port"));
    }

    /** A fresh 15-digit IMEI per test, so tests share no device. */
    static String imei() {
        return String.format("8691530%08d", ProcessHandle.current().pid() % 1000 * 100000 + DEVICES.incrementAndGet());
    }

    /** The login frame of {@code imei} (terminal id: 0 and the 15 digits, BCD), serial 1. */
    static String login(String imei) {
        byte[] f = HEX.parseHex("78780D01" + "0" + imei + "0001" + "0000" + "0D0A");
        int crc = Crc16.X25.of(f, 2, f.length - 6);
        f[f.length - 4] = (byte) (crc >>> 8);
        f[f.length - 3] = (byte) crc;
        return HEX.formatHex(f);
    }

    /** The login ACK for serial 1 (the protocol document's example). */
    static final String LOGIN_ACK = Gt06Vectors.LOGIN_ACK;

    @Test
    void aSessionIsStoredAndLoginHeartbeatAndAlarmAreAckedLocationIsNot() throws Exception {
        String imei = imei();
        Reply reply = exchange(port(), 30, login(imei), Gt06Vectors.LOCATION, Gt06Vectors.HEARTBEAT, Gt06Vectors.ALARM);
        assertThat(reply.hex()).as("login, heartbeat and alarm ACKs in order; location has no reply")
                .isEqualTo(LOGIN_ACK + Gt06Vectors.HEARTBEAT_ACK + Gt06Vectors.ALARM_ACK);
        assertThat(reply.closed()).as("the connection stays open").isFalse();
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 2)).isEqualTo(2);
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select fix_time, latitude, longitude, speed_kmh, event_code, protocol from records"
                     + " where device_uid = '" + imei + "' order by event_code nulls first")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1).toInstant()).hasToString("2026-11-30T10:15:30Z");
            assertThat(rs.getDouble(2)).isCloseTo(37.9815116, within(1e-6));
            assertThat(rs.getDouble(3)).isCloseTo(23.7315200, within(1e-6));
            assertThat(rs.getDouble(4)).isEqualTo(60.0);
            assertThat(rs.getString(5)).as("a location carries no event").isNull();
            assertThat(rs.getString(6)).isEqualTo("gt06");
            assertThat(rs.next()).as("the alarm's record").isTrue();
            assertThat(rs.getString(5)).as("the SOS alarm's event code").isEqualTo("sos");
            assertThat(rs.next()).isFalse();
        }
        assertThat(fc.count("select count(*) from devices where device_uid = '" + imei + "' and protocol = 'gt06'")).isEqualTo(1);
    }

    @Test
    void aFrameBeforeTheLoginIsRefusedWithoutReply() throws Exception {
        Reply reply = exchange(port(), 10, Gt06Vectors.LOCATION);
        assertThat(reply.hex()).isEmpty();
        assertThat(reply.closed()).isTrue();
    }

    @Test
    void aBadCrcIsNeverAckedAndKeptInRejectedFrames() throws Exception {
        String imei = imei();
        String bad = Gt06Vectors.HEARTBEAT.substring(0, Gt06Vectors.HEARTBEAT.length() - 8) + "0000" + "0D0A";
        Reply reply = exchange(port(), 20, login(imei), bad);
        assertThat(reply.hex()).as("the login's ACK only").isEqualTo(LOGIN_ACK);
        assertThat(reply.closed()).as("no ACK: the connection is closed, the device sends it again").isTrue();
        assertThat(fc.awaitCount("select count(*) from rejected_frames where device_uid = '" + imei + "' and reason = 'bad-crc'"
                + " and protocol = 'gt06' and frame_hex = '" + bad.toLowerCase() + "'", 1)).isEqualTo(1);
    }

    @Test
    void aDisabledDeviceIsNotAnsweredAtItsLoginAndStoresNothing() throws Exception {
        String imei = imei();
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into devices (device_uid, protocol, enabled) values ('" + imei + "', 'gt06', false)");
        }
        Reply reply = exchange(port(), 10, login(imei), Gt06Vectors.LOCATION);
        assertThat(reply.hex()).as("no login ACK").isEmpty();
        assertThat(reply.closed()).isTrue();
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
    }
}
