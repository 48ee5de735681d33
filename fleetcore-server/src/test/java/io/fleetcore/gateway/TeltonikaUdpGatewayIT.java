package io.fleetcore.gateway;

import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U1;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U1_ACK;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U2;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U2_ACK;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.UDP_IMEI;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Teltonika devices on a real UDP socket → ACK datagrams only once durable → rows in the real PostgreSQL,
 * through the real route files; refused and bad datagrams kept and never answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeltonikaUdpGatewayIT {

    RunningFleetcore fc;

    /** Settings of the topology under test; the broker-first subclass runs the same tests on its route folder. */
    Map<String, String> topology() {
        return Map.of();
    }

    boolean brokerFirst() {
        return false;
    }

    @BeforeAll
    void start() {
        fc = RunningFleetcore.start(topology());
    }

    @AfterAll
    void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    /** A device's UDP socket: sends datagrams to the Teltonika port, reads the answers. */
    static final class Device implements AutoCloseable {
        final DatagramSocket socket;
        final InetSocketAddress server;

        Device(int port) throws IOException {
            socket = new DatagramSocket();
            socket.setSoTimeout(5000);
            server = new InetSocketAddress("127.0.0.1", port);
        }

        void send(byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, server));
        }

        void send(String hex) throws IOException {
            send(HexFormat.of().parseHex(hex));
        }

        /** The next answer in hex, or "" when none comes within {@code millis}. */
        String reply(int millis) throws IOException {
            socket.setSoTimeout(millis);
            byte[] buf = new byte[64];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return "";
            }
            assertThat(p.getSocketAddress()).isEqualTo(server);
            return HexFormat.of().withUpperCase().formatHex(Arrays.copyOf(buf, p.getLength()));
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** U1 of another IMEI (same length), so each test has its own device. */
    static String withImei(String datagram, String imei) {
        return datagram.substring(0, 16) + HexFormat.of().withUpperCase().formatHex(imei.getBytes()) + datagram.substring(46);
    }

    Device device() throws IOException {
        return new Device(fc.teltonikaPort());
    }

    @Test
    void datagramsAreAckedWhenDurableAndAResentDatagramStoresNothingTwice() throws Exception {
        try (Device d = device()) {
            d.send(U1);
            assertThat(d.reply(5000)).isEqualTo(U1_ACK);
            d.send(U1);
            assertThat(d.reply(5000)).as("the resent datagram is ACKed again").isEqualTo(U1_ACK);
            d.send(U2);
            assertThat(d.reply(5000)).isEqualTo(U2_ACK);
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + UDP_IMEI + "'", 2)).isEqualTo(2);
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), min(protocol), min(priority), min(event_code), min(io->>'66'),"
                     + " min(io->>'21') from records where device_uid = '" + UDP_IMEI + "' and fix_time = to_timestamp(1560407006)")) {
            rs.next();
            assertThat(rs.getInt(1)).as("U1 sent twice, one row").isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("teltonika");
            assertThat(rs.getInt(3)).isEqualTo(1);
            assertThat(rs.getString(4)).isEqualTo("1");
            assertThat(rs.getString(5)).isEqualTo("23996");
            assertThat(rs.getString(6)).isEqualTo("3");
        }
        assertThat(fc.count("select count(*) from records where device_uid = '" + UDP_IMEI + "' and fix_time = to_timestamp(1560407121)"
                + " and io->>'16' = '22949000' and io->>'11' = '893700218' and io->>'14' = '500686954' and io->>'17' = '157'")).isEqualTo(1);
        assertThat(fc.count("select count(*) from devices where device_uid = '" + UDP_IMEI + "' and protocol = 'teltonika' and enabled"))
                .as("registered as a teltonika device, like a TCP login").isEqualTo(1);
    }

    /**
     * The records table locked: store-first gives no ACK until the row is committed; broker-first ACKs once the
     * broker confirmed (its durable point) and the row follows once the lock is gone.
     */
    @Test
    void ackFollowsDurabilityNotReceipt() throws Exception {
        String imei = "352093086400001";
        try (Device d = device(); Connection lock = fc.db()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table records in access exclusive mode");
            }
            d.send(withImei(U1, imei));
            String whileLocked = d.reply(2000);
            if (brokerFirst()) {
                assertThat(whileLocked).as("confirmed on the ingest queue").isEqualTo(U1_ACK);
            } else {
                assertThat(whileLocked).as("no ACK before the commit").isEmpty();
                assertThat(fc.count("select count(*) from pg_locks where locktype = 'relation' and not granted"
                        + " and database = (select oid from pg_database where datname = current_database())"))
                        .as("the insert waits for the lock").isPositive();
            }
            lock.rollback();
            if (!brokerFirst()) {
                assertThat(d.reply(10000)).as("ACK once committed").isEqualTo(U1_ACK);
            }
        }
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
    }

    @Test
    void badDatagramsAreKeptNeverAnsweredAndThePortServesOn() throws Exception {
        String imei = "352093086400002";
        String intact = withImei(U1, imei);
        String badCount = intact.substring(0, intact.length() - 2) + "02";
        byte[] oversized = new byte[20_000];
        oversized[0] = (byte) ((oversized.length - 2) >>> 8);
        oversized[1] = (byte) (oversized.length - 2);
        try (Device d = device()) {
            d.send(badCount);
            assertThat(d.reply(1500)).as("no ACK").isEmpty();
            d.send("474554202F20485454502F312E310D0A");
            assertThat(d.reply(1000)).isEmpty();
            d.send(oversized);
            assertThat(d.reply(1000)).isEmpty();
            d.send(intact);
            assertThat(d.reply(5000)).as("the port still serves").isEqualTo(U1_ACK);
        }
        assertThat(fc.awaitCount("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and protocol = 'teltonika-udp' and reason = 'count-mismatch' and frame_hex = '" + badCount.toLowerCase() + "'", 1))
                .isEqualTo(1);
        assertThat(fc.awaitCount("select count(*) from rejected_frames where protocol = 'teltonika-udp' and reason = 'bad-length'"
                + " and frame_hex = '474554202f20485454502f312e310d0a'", 1)).isEqualTo(1);
        assertThat(fc.awaitCount("select count(*) from rejected_frames where protocol = 'teltonika-udp' and reason = 'frame-too-large'"
                + " and frame_hex like '4e1e0000%'", 1)).isEqualTo(1);
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + imei + "'", 1)).isEqualTo(1);
    }

    /** A disabled device's datagram is kept (device-disabled, or device-not-admitted when admission sees it first) and not ACKed. */
    @Test
    void disabledDeviceIsRefusedWithoutAnswer() throws Exception {
        String imei = "352093086400003";
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol, enabled) values ('" + imei + "', 'teltonika', false)");
        }
        try (Device d = device()) {
            d.send(withImei(U1, imei));
            assertThat(d.reply(1500)).isEmpty();
        }
        assertThat(fc.awaitCount("select count(*) from rejected_frames where device_uid = '" + imei
                + "' and protocol = 'teltonika-udp' and reason in ('device-disabled', 'device-not-admitted')", 1)).isEqualTo(1);
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
    }

    /** Unknown devices refused (fleetcore.unknown-devices=reject): an unknown IMEI is kept and not ACKed; a known TCP device is admitted on UDP. */
    @Test
    void underRejectAnUnknownImeiIsRefusedAndAKnownTeltonikaDeviceAdmitted() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(topology());
        settings.put("fleetcore.unknown-devices", "reject");
        String unknown = "352093086400004";
        String known = "352093086400005";
        try (RunningFleetcore rejecting = RunningFleetcore.start(settings)) {
            try (Connection c = rejecting.db(); Statement st = c.createStatement()) {
                st.execute("insert into devices (device_uid, protocol, enabled) values ('" + known + "', 'teltonika', true)");
            }
            try (Device d = new Device(rejecting.teltonikaPort())) {
                d.send(withImei(U1, unknown));
                assertThat(d.reply(1500)).isEmpty();
                d.send(withImei(U1, known));
                assertThat(d.reply(5000)).isEqualTo(U1_ACK);
            }
            assertThat(rejecting.awaitCount("select count(*) from rejected_frames where device_uid = '" + unknown
                    + "' and protocol = 'teltonika-udp' and reason = 'device-not-admitted'", 1)).isEqualTo(1);
            assertThat(rejecting.count("select count(*) from devices where device_uid = '" + unknown + "'")).isZero();
            assertThat(rejecting.awaitCount("select count(*) from records where device_uid = '" + known + "'", 1)).isEqualTo(1);
        }
    }

    /** fleetcore.teltonika.udp-enabled=false: nothing listens on UDP, TCP serves on. */
    @Test
    void udpListenerCanBeTurnedOff() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(topology());
        settings.put("fleetcore.teltonika.udp-enabled", "false");
        try (RunningFleetcore off = RunningFleetcore.start(settings); Device d = new Device(off.teltonikaPort())) {
            d.send(withImei(U1, "352093086400006"));
            assertThat(d.reply(1500)).isEmpty();
            assertThat(off.server().camelContext().getRouteController().getRouteStatus("teltonika-udp-gateway").isStopped()).isTrue();
        }
    }
}
