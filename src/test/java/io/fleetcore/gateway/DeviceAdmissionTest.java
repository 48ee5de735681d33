package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admission against the real schema; an outage is a data source that refuses connections. */
class DeviceAdmissionTest {

    static Database database;

    /** The real pool, or no connection at all while {@code down}. */
    static final class Switchable implements DataSource {
        final DataSource real;
        volatile boolean down;

        Switchable(DataSource real) {
            this.real = real;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("Connection refused", "08001");
            }
            return real.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        database = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", TestServices.newDatabase())));
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol, enabled) values ('known-1', 'teltonika', true),"
                    + " ('disabled-1', 'teltonika', false)");
        }
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    private static long devices(String uid) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from devices where device_uid = '" + uid + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void registerModeAdmitsAndRegistersUnknownDevicesButNotDisabledOnes() throws Exception {
        DeviceAdmission admission = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER);
        assertThat(admission.admit("known-1", "teltonika")).isTrue();
        assertThat(admission.admit("disabled-1", "teltonika")).isFalse();
        assertThat(devices("new-1")).isZero();
        assertThat(admission.admit("new-1", "teltonika")).isTrue();
        assertThat(devices("new-1")).isEqualTo(1);
    }

    @Test
    void rejectModeRefusesUnknownDevicesWithoutRegisteringThem() throws Exception {
        DeviceAdmission admission = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REJECT);
        assertThat(admission.admit("known-1", "teltonika")).isTrue();
        assertThat(admission.admit("disabled-1", "teltonika")).isFalse();
        assertThat(admission.admit("stranger-1", "teltonika")).isFalse();
        assertThat(devices("stranger-1")).isZero();
    }

    @Test
    void knownDevicesAreStillAdmittedDuringADatabaseOutage() throws Exception {
        Switchable ds = new Switchable(database.dataSource());
        DeviceAdmission reject = new DeviceAdmission(ds, DeviceAdmission.Mode.REJECT);
        assertThat(reject.admit("known-1", "teltonika")).isTrue();
        assertThat(reject.admit("disabled-1", "teltonika")).isFalse();
        ds.down = true;
        assertThat(reject.admit("known-1", "teltonika")).as("cached").isTrue();
        assertThat(reject.admit("disabled-1", "teltonika")).as("cached").isFalse();
        assertThatThrownBy(() -> reject.admit("stranger-2", "teltonika")).isInstanceOf(DeviceAdmission.UndecidedException.class);
        DeviceAdmission register = new DeviceAdmission(ds, DeviceAdmission.Mode.REGISTER);
        assertThat(register.admit("stranger-2", "teltonika")).as("unknown devices are welcome anyway").isTrue();
    }

    @Test
    void modeFromConfiguration() {
        assertThat(DeviceAdmission.mode("register")).isEqualTo(DeviceAdmission.Mode.REGISTER);
        assertThat(DeviceAdmission.mode(" REJECT ")).isEqualTo(DeviceAdmission.Mode.REJECT);
        assertThatThrownBy(() -> DeviceAdmission.mode("maybe")).hasMessageContaining("FLEETCORE_UNKNOWN_DEVICES");
    }
}
