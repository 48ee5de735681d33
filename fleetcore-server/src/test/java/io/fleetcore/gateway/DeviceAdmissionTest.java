package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.json.JsonProtocol;
import io.fleetcore.protocol.json.JsonProtocolDecoder;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.store.Database;
import io.fleetcore.store.RejectedFrames;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.fleetcore.testing.TestServices;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
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
        database = TestServices.newMigratedDatabase();
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
        DeviceAdmission admission = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER, 100, Duration.ofMinutes(1));
        assertThat(admission.admit("known-1", "teltonika")).isTrue();
        assertThat(admission.admit("disabled-1", "teltonika")).isFalse();
        assertThat(devices("new-1")).isZero();
        assertThat(admission.admit("new-1", "teltonika")).isTrue();
        assertThat(devices("new-1")).isEqualTo(1);
    }

    @Test
    void aDeviceDisabledElsewhereIsRefusedAtItsNextLoginOnceTheDisabledSetKnowsEvenWhileItsAnswerIsCached() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol, enabled) values ('switched-1', 'teltonika', true)");
        }
        try (DisabledDevices disabled = new DisabledDevices(database.dataSource(), Duration.ofHours(1))) {
            DeviceAdmission admission = new DeviceAdmission(database.dataSource(), disabled, DeviceAdmission.Mode.REGISTER,
                    100, Duration.ofHours(1));
            assertThat(admission.admit("switched-1", "teltonika")).as("enabled, now cached for an hour").isTrue();
            assertThat(admission.decide("disabled-1", "json", true)).as("the database's answer")
                    .isEqualTo(DeviceAdmission.Decision.DISABLED);
            try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("update devices set enabled = false where device_uid = 'switched-1'"); // another instance, or SQL
            }
            disabled.reload(); // what the refresh every fleetcore.devices.refresh does
            assertThat(admission.isDisabled("switched-1")).isTrue();
            assertThat(admission.admit("switched-1", "teltonika")).as("login refused although the cached answer is 'enabled'")
                    .isFalse();
            assertThat(admission.decide("switched-1", "json", true)).isEqualTo(DeviceAdmission.Decision.DISABLED);
            admission.changed("switched-1", true); // the API of this instance enables it again
            assertThat(admission.admit("switched-1", "teltonika")).isTrue();
            assertThat(disabled.isDisabled("switched-1")).as("the gateways' set follows the API at once").isFalse();
        }
    }

    @Test
    void rejectModeRefusesUnknownDevicesWithoutRegisteringThem() throws Exception {
        DeviceAdmission admission = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REJECT, 100, Duration.ofMinutes(1));
        assertThat(admission.admit("known-1", "teltonika")).isTrue();
        assertThat(admission.admit("disabled-1", "teltonika")).isFalse();
        assertThat(admission.admit("stranger-1", "teltonika")).isFalse();
        assertThat(devices("stranger-1")).isZero();
    }

    @Test
    void knownDevicesAreStillAdmittedDuringADatabaseOutage() throws Exception {
        Switchable ds = new Switchable(database.dataSource());
        DeviceAdmission reject = new DeviceAdmission(ds, DeviceAdmission.Mode.REJECT, 100, Duration.ZERO);
        assertThat(reject.admit("known-1", "teltonika")).isTrue();
        assertThat(reject.admit("disabled-1", "teltonika")).isFalse();
        ds.down = true;
        assertThat(reject.admit("known-1", "teltonika")).as("cached").isTrue();
        assertThat(reject.admit("disabled-1", "teltonika")).as("cached").isFalse();
        assertThatThrownBy(() -> reject.admit("stranger-2", "teltonika")).isInstanceOf(DeviceAdmission.UndecidedException.class);
        DeviceAdmission register = new DeviceAdmission(ds, DeviceAdmission.Mode.REGISTER, 100, Duration.ZERO);
        assertThat(register.admit("stranger-2", "teltonika")).as("unknown devices are welcome anyway").isTrue();
    }

    @Test
    void underRejectADeviceRegisteredForOneProtocolIsNotAdmittedOnAnother() throws Exception {
        DeviceAdmission reject = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REJECT, 100, Duration.ofMinutes(1));
        assertThat(reject.admit("known-1", "json")).isFalse();
        assertThat(reject.admit("known-1", "teltonika")).isTrue();
        DeviceAdmission register = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER, 100, Duration.ofMinutes(1));
        assertThat(register.admit("known-1", "json")).as("register: one device may speak two protocols").isTrue();
    }

    @Test
    void anUnknownDeviceIsNotRegisteredWhenItsConnectionMayRegisterNoMore() throws Exception {
        DeviceAdmission register = new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER, 100, Duration.ofMinutes(1));
        assertThat(register.decide("capped-1", "json", false)).isEqualTo(DeviceAdmission.Decision.REFUSED);
        assertThat(devices("capped-1")).isZero();
        assertThat(register.decide("capped-1", "json", true)).isEqualTo(DeviceAdmission.Decision.REGISTERED);
        assertThat(register.decide("capped-1", "json", false)).as("known now").isEqualTo(DeviceAdmission.Decision.ADMITTED);
    }

    @Test
    void theAnswerCacheIsBoundedAndAnswersFromItWithinTheTtl() throws Exception {
        Switchable ds = new Switchable(database.dataSource());
        DeviceAdmission admission = new DeviceAdmission(ds, DeviceAdmission.Mode.REGISTER, 3, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            assertThat(admission.admit("lru-" + i, "json")).isTrue();
        }
        assertThat(admission.cachedDevices()).isEqualTo(3);
        ds.down = true;
        assertThat(admission.decide("lru-9", "json", false)).as("cached, no query").isEqualTo(DeviceAdmission.Decision.ADMITTED);
        assertThatThrownBy(() -> admission.decide("lru-0", "json", false)).as("evicted, database down")
                .isInstanceOf(DeviceAdmission.UndecidedException.class);
    }

    private static final Protocols JSON = new Protocols(List.of(new JsonProtocol(new JsonProtocolDecoder(), 65536)));

    /** A json frame of {@code device} on {@code channel}, as the route's decode step leaves it. */
    private static Exchange frame(EmbeddedChannel channel, String device) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, channel.pipeline().firstContext());
        exchange.getMessage().setHeader(ExchangeNames.DEVICE, device);
        exchange.setProperty(ExchangeNames.PROTOCOL, JsonProtocolDecoder.PROTOCOL);
        return exchange;
    }

    @Test
    void oneConnectionRegistersAtMostTheConfiguredNumberOfNewDevices() throws Exception {
        AdmitDeviceProcessor admit = new AdmitDeviceProcessor(JSON,
                new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER, 100, Duration.ofMinutes(1)), 2);
        EmbeddedChannel minting = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        admit.process(frame(minting, "mint-1"));
        admit.process(frame(minting, "mint-2"));
        admit.process(frame(minting, "mint-1"));
        assertThatThrownBy(() -> admit.process(frame(minting, "mint-3")))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).reason()).isEqualTo("device-not-admitted"))
                .hasMessageContaining("registered 2 new devices already");
        admit.process(frame(minting, "known-1")); // known devices are still welcome on it
        assertThat(devices("mint-1") + devices("mint-2")).isEqualTo(2);
        assertThat(devices("mint-3")).isZero();
        admit.process(frame(new EmbeddedChannel(new ChannelInboundHandlerAdapter()), "mint-3"));
        assertThat(devices("mint-3")).as("another connection").isEqualTo(1);
    }

    @Test
    void deviceIdsTooLongOrWithControlCharactersAreNeverAdmitted() throws Exception {
        AdmitDeviceProcessor admit = new AdmitDeviceProcessor(JSON,
                new DeviceAdmission(database.dataSource(), DeviceAdmission.Mode.REGISTER, 100, Duration.ofMinutes(1)), 100);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        for (String id : new String[] {"x".repeat(65), "line\nbreak", "nul\u0000", ""}) {
            assertThatThrownBy(() -> admit.process(frame(channel, id))).as(id).isInstanceOf(ProtocolException.class);
        }
        admit.process(frame(channel, "y".repeat(64)));
        assertThat(devices("y".repeat(64))).isEqualTo(1);
        assertThat(devices("x".repeat(65))).isZero();
    }

    @Test
    void aRejectedFrameDoesNotRegisterItsDevice() throws Exception {
        new RejectedFrames(database.dataSource()).record("json", "junk-device-1", "127.0.0.1:1", "bad-json", "x", new byte[] {1});
        assertThat(devices("junk-device-1")).isZero();
        new RejectedFrames(database.dataSource()).record("teltonika", "known-1", "127.0.0.1:1", "bad-crc", "x", new byte[] {1});
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select rejected_frames from devices where device_uid = 'known-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("counted against a registered device").isEqualTo(1);
        }
    }

    @Test
    void modeFromConfiguration() {
        assertThat(DeviceAdmission.mode("register")).isEqualTo(DeviceAdmission.Mode.REGISTER);
        assertThat(DeviceAdmission.mode(" REJECT ")).isEqualTo(DeviceAdmission.Mode.REJECT);
        assertThatThrownBy(() -> DeviceAdmission.mode("maybe")).hasMessageContaining("FLEETCORE_UNKNOWN_DEVICES");
    }
}
