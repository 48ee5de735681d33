package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.SelfSignedKeystore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS on a device port (fleetcore.teltonika.tls=true with a self-signed certificate made in the test) beside a plain
 * port (json) in one server: the TLS Teltonika device is answered 01 and its record count once durable, the plain
 * json device as before, a plain client on the TLS port gets nothing and stores nothing, and a wrong keystore
 * password stops the start naming the key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsGatewayIT {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final AtomicInteger DEVICES = new AtomicInteger();

    SelfSignedKeystore keystore;
    RunningFleetcore fc;

    /** Settings of the topology under test; a subclass runs the same tests on broker-first. */
    Map<String, String> topology() {
        return Map.of();
    }

    /** Store-first answers once the row is committed: it is there when the ACK is; broker-first once confirmed. */
    boolean rowBeforeAck() {
        return true;
    }

    Map<String, String> tlsSettings(String password) {
        Map<String, String> s = new HashMap<>(topology());
        s.put("fleetcore.teltonika.tls", "true");
        s.put("fleetcore.teltonika.tls.keystore", keystore.file().toString());
        s.put("fleetcore.teltonika.tls.keystore-password", password);
        return s;
    }

    @BeforeAll
    void start() {
        keystore = SelfSignedKeystore.create("device-port");
        fc = RunningFleetcore.start(tlsSettings(keystore.password()));
    }

    @AfterAll
    void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    static String imei() {
        return String.format("3563070%08d", ProcessHandle.current().pid() % 1000 * 100000 + DEVICES.incrementAndGet());
    }

    static String login(String imei) {
        return "000F" + HEX.formatHex(imei.getBytes(StandardCharsets.US_ASCII));
    }

    long rows(String sql, long expected) throws Exception {
        return rowBeforeAck() ? fc.count(sql) : fc.awaitCount(sql, expected);
    }

    @Test
    void aTlsTeltonikaDeviceIsAnsweredItsLoginAndRecordCountOnceDurable() throws Exception {
        String imei = imei();
        try (SSLSocket socket = keystore.connect(fc.teltonikaPort())) {
            socket.getOutputStream().write(HEX.parseHex(login(imei)));
            socket.getOutputStream().flush();
            assertThat(HEX.formatHex(socket.getInputStream().readNBytes(1))).as("login accepted").isEqualTo("01");
            socket.getOutputStream().write(HEX.parseHex(TeltonikaVectors.V3));
            socket.getOutputStream().flush();
            assertThat(HEX.formatHex(socket.getInputStream().readNBytes(4))).as("the packet's 2 records").isEqualTo("00000002");
            String sql = "select count(*) from records where device_uid = '" + imei + "' and protocol = 'teltonika'";
            assertThat(rows(sql, 2)).as("both rows durable when the count is sent").isEqualTo(2);
        }
        try (Connection c = fc.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select fix_time from records where device_uid = '" + imei + "' order by fix_time")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1).toInstant()).hasToString("2019-06-10T10:01:01Z");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1).toInstant()).hasToString("2019-06-10T10:01:19Z");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aPlainJsonDeviceOnTheSameServerIsAnsweredOnceDurable() throws Exception {
        String device = "tls-json-" + imei();
        String json = "{\"device_number\": \"" + device + "\", \"event_code\": \"4002\", \"message_date\": \"2020/02/05 12:18:28\","
                + " \"latitude\": \"37.9815116\", \"longitude\": \"23.7315200\"}";
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), json, 1, 5000)).isEqualTo("1");
        assertThat(rows("select count(*) from records where device_uid = '" + device + "' and protocol = 'json'", 1)).isEqualTo(1);
    }

    @Test
    void aPlainClientOnTheTlsPortGetsNoAckAndStoresNothing() throws Exception {
        String imei = imei();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean closed = false;
        try (Socket s = new Socket("127.0.0.1", fc.teltonikaPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(HEX.parseHex(login(imei) + TeltonikaVectors.V1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    got.write(b);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // still open
            } catch (java.net.SocketException e) {
                closed = true; // reset by the server
            }
        }
        assertThat(got.size()).as("no login answer, no ACK: nothing a plain client can read as one").isZero();
        assertThat(closed).as("the server closes a connection that does not speak TLS").isTrue();
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
        assertThat(fc.count("select count(*) from devices where device_uid = '" + imei + "'")).isZero();
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> RunningFleetcore.start(tlsSettings("not-" + keystore.password())).close())
                .hasMessageContaining("fleetcore.teltonika.tls.keystore-password")
                .hasMessageContaining("FLEETCORE_TELTONIKA_TLS_KEYSTORE_PASSWORD")
                .hasMessageNotContaining(keystore.password());
    }

    @Test
    void tlsOnTheTeltonikaUdpListenerStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> RunningFleetcore.start(java.util.Map.of("fleetcore.teltonika-udp.tls", "true")).close())
                .hasMessageContaining("fleetcore.teltonika-udp.tls: teltonika-udp takes datagrams")
                .hasMessageContaining("FLEETCORE_TELTONIKA_UDP_TLS");
    }
}
