package io.fleetcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fleetcore.FleetcoreServer;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The read contract in SQL (schema api, role fleetcore_reader) and the API's start-up rules. */
class ApiSchemaIT {

    @Test
    void theReaderRoleReadsTheViewsAndNothingElse() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of());
             Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol) values ('schema-1', 'teltonika')");
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol, obd, io) values"
                    + " ('schema-1', '2024-05-01T10:00:00Z', 'a', 54.1, 25.2, 'teltonika',"
                    + "  '{\"rpm\": 1726, \"coolant_temp_c\": 90, \"vin\": \"WVWZZZ1JZXW000001\", \"dtcs\": [\"P0301\"]}',"
                    + "  '{\"239\": 1, \"240\": 0, \"66\": 12500, \"16\": 52191, \"21\": 4}'),"
                    + " ('schema-1', '2024-05-01T10:05:00Z', 'b', 54.2, 25.3, 'teltonika', '{\"rpm\": \"n/a\"}', '{}')");
            st.execute("set role fleetcore_reader");
            try (ResultSet rs = st.executeQuery("select obd_rpm, obd_coolant_temp_c, obd_vin, obd_dtcs::text, io_ignition, io_movement,"
                    + " io_external_voltage_v, io_total_odometer_m, io_gsm_signal from api.positions where content_hash = 'a'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(1726.0);
                assertThat(rs.getDouble(2)).isEqualTo(90.0);
                assertThat(rs.getString(3)).isEqualTo("WVWZZZ1JZXW000001");
                assertThat(rs.getString(4)).isEqualTo("[\"P0301\"]");
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getBoolean(6)).isFalse();
                assertThat(rs.getDouble(7)).isEqualTo(12.5);
                assertThat(rs.getDouble(8)).isEqualTo(52191.0);
                assertThat(rs.getDouble(9)).isEqualTo(4.0);
            }
            try (ResultSet rs = st.executeQuery("select obd_rpm, io_ignition from api.positions where content_hash = 'b'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).as("a non-number is null, not an error").isNull();
                assertThat(rs.getObject(2)).isNull();
            }
            try (ResultSet rs = st.executeQuery("select count(*), max(latitude) from api.latest_positions where device_id = 'schema-1'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getDouble(2)).isEqualTo(54.2);
            }
            try (ResultSet rs = st.executeQuery("select status, open_alerts, rejected_frames_24h from api.device_status where device_id = 'schema-1'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("reporting");
                assertThat(rs.getInt(2)).isZero();
            }
            st.executeQuery("select * from api.alerts").close();
            st.executeQuery("select * from api.rejected_frames").close();
            for (String table : new String[] {"records", "devices", "rejected_frames", "device_alerts", "flyway_schema_history"}) {
                assertThatThrownBy(() -> st.executeQuery("select 1 from " + table).close())
                        .as(table).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            assertThatThrownBy(() -> st.execute("delete from api.positions")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void anOpenApiRefusesToStartOnANonLoopbackAddress() {
        Map<String, String> settings = Map.of(
                "fleetcore.db.url", TestServices.newDatabase(),
                "fleetcore.amqp.uri", TestServices.amqpUri(),
                "fleetcore.json.port", String.valueOf(TestServices.freePort()),
                "fleetcore.teltonika.port", String.valueOf(TestServices.freePort()),
                "fleetcore.gt06.port", String.valueOf(TestServices.freePort()),
                "fleetcore.management.port", String.valueOf(TestServices.freePort()),
                "fleetcore.api.port", String.valueOf(TestServices.freePort()),
                "fleetcore.api.host", "0.0.0.0",
                "fleetcore.api.keys", "");
        assertThatThrownBy(() -> FleetcoreServer.create(FleetcoreConfig.load(settings)).close())
                .hasMessageContaining("without any key").hasMessageContaining("FLEETCORE_API_KEYS");
    }

    @Test
    void keysAreNeverLogged() throws Exception {
        String read = "never-logged-read-key-1";
        String admin = "never-logged-admin-key-1";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.api.keys", "r:" + read + ":read,a:" + admin + ":admin"))) {
            ApiClient api = new ApiClient(fc.apiUrl());
            assertThat(api.get("/api/v1/devices", read).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/devices", read + "x").status()).isEqualTo(401);
            assertThat(api.send("PATCH", "/api/v1/devices/nobody", read, "application/json", "{\"enabled\":false}").status()).isEqualTo(403);
            assertThat(api.send("POST", "/api/v1/devices", admin, "application/json", "{\"device_id\":\"logged-1\"}").status()).isEqualTo(201);
            assertThat(api.send("POST", "/api/v1/devices/import", admin, "text/csv", "nonsense").status()).isEqualTo(400);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(read).doesNotContain(admin);
        }
    }
}
