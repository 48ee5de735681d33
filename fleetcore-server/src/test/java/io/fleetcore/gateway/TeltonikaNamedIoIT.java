package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.store.RecordJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Teltonika bytes on a socket → api.positions with the named IO values, and a crash record → one device_events
 * row and one events row (the events feed's source), also when the device sends the packet again.
 */
class TeltonikaNamedIoIT extends BinaryGatewayIT {

    private static final AtomicInteger DEVICES = new AtomicInteger();

    /** A fresh IMEI per test, so tests share no device. */
    static String imei() {
        return String.format("3563070%08d", ProcessHandle.current().pid() % 1000 * 100000 + DEVICES.incrementAndGet());
    }

    /** The login frame of an IMEI: length 15 and its ASCII digits. */
    static String login(String imei) {
        return "000F" + HEX.formatHex(imei.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aCrashIsStoredNamedAndRaisesOneEventAlsoWhenResent() throws Exception {
        String imei = imei();
        for (int send = 0; send < 2; send++) {
            Reply reply = exchange(fc.teltonikaPort(), 5, login(imei), TeltonikaVectors.CRASH);
            assertThat(reply.hex()).as("login accepted, one record ACKed").isEqualTo("01" + "00000001");
        }
        assertThat(fc.awaitCount("select count(*) from device_events where device_uid = '" + imei + "'", 1)).isEqualTo(1);
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isEqualTo(1);
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select event_code, io_named::text, io::text, io_ignition, io_external_voltage_v"
                    + " from api.positions where device_id = '" + imei + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("247");
                JsonNode named = RecordJson.MAPPER.readTree(rs.getString(2));
                assertThat(named.size()).isEqualTo(7);
                assertThat(named.get("crash").asLong()).isEqualTo(1);
                assertThat(named.get("ignition").asBoolean()).isTrue();
                assertThat(named.get("movement").asBoolean()).isTrue();
                assertThat(named.get("gsm_signal").asLong()).isEqualTo(4);
                assertThat(named.get("external_voltage_v").decimalValue()).isEqualByComparingTo("12.5");
                assertThat(named.get("axis_x_mg").asLong()).isEqualTo(-30);
                assertThat(named.get("total_odometer_m").asLong()).isEqualTo(123456);
                assertThat(RecordJson.MAPPER.readTree(rs.getString(3))).as("raw io untouched").isEqualTo(RecordJson.MAPPER
                        .readTree("{\"16\":123456,\"17\":65506,\"21\":4,\"66\":12500,\"239\":1,\"240\":1,\"247\":1}"));
                assertThat(rs.getBoolean(4)).isTrue();
                assertThat(rs.getDouble(5)).isEqualTo(12.5);
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = st.executeQuery("select kind, value, fix_time, latitude, longitude from api.device_events"
                    + " where device_id = '" + imei + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("crash");
                assertThat(rs.getLong(2)).isEqualTo(1);
                assertThat(rs.getTimestamp(3).toInstant()).hasToString("2026-11-30T10:15:30Z");
                assertThat(rs.getDouble(4)).isEqualTo(37.9815116);
                assertThat(rs.getDouble(5)).isEqualTo(23.73152);
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = st.executeQuery("select kind, state, payload ->> 'value', payload ->> 'fix_time' from events"
                    + " where subject = '" + imei + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("device_event");
                assertThat(rs.getString(2)).isEqualTo("crash");
                assertThat(rs.getString(3)).isEqualTo("1");
                assertThat(rs.getString(4)).isEqualTo("2026-11-30T10:15:30Z");
                assertThat(rs.next()).as("one event, not one per delivery").isFalse();
            }
        }
    }

    @Test
    void theEndOfAnAlarmIsStoredAndRaisesNothing() throws Exception {
        String imei = imei();
        Reply reply = exchange(fc.teltonikaPort(), 5, login(imei), TeltonikaVectors.UNPLUG_END);
        assertThat(reply.hex()).isEqualTo("01" + "00000001");
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
        assertThat(fc.count("select count(*) from api.positions where device_id = '" + imei + "'"
                + " and io_named = '{\"unplug\": 0, \"ignition\": false, \"external_voltage_v\": 0.000}'::jsonb")).isEqualTo(1);
        assertThat(fc.count("select count(*) from device_events where device_uid = '" + imei + "'")).isZero();
        assertThat(fc.count("select count(*) from events where subject = '" + imei + "'")).isZero();
    }
}
