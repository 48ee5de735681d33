package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Teltonika bytes on a socket → rows and the protocol's replies, through the gateway template of the real route files. */
class TeltonikaGatewayIT extends BinaryGatewayIT {

    static String login(String imei) {
        return String.format("%04X", imei.length()) + HEX.formatHex(imei.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void loginIsAcceptedAndEachPacketAckedWithItsCountOnceStored() throws Exception {
        Reply reply = exchange(fc.teltonikaPort(), 9, TeltonikaVectors.LOGIN, TeltonikaVectors.V1, TeltonikaVectors.V3);
        assertThat(reply.hex()).isEqualTo("01" + "00000001" + "00000002");
        assertThat(reply.closed()).isFalse();
        assertThat(fc.awaitCount("select count(*) from records where device_uid = '" + TeltonikaVectors.IMEI
                + "' and protocol = 'teltonika'", 3)).isEqualTo(3);
    }

    @Test
    void aBadCrcIsNeverAckedAndKept() throws Exception {
        String imei = "356307042449999";
        String bad = TeltonikaVectors.V2.substring(0, TeltonikaVectors.V2.length() - 4) + "0000";
        Reply reply = exchange(fc.teltonikaPort(), 5, login(imei), bad);
        assertThat(reply.hex()).isEqualTo("01");
        assertThat(reply.closed()).isTrue();
        assertThat(fc.awaitCount("select count(*) from rejected_frames where device_uid = '" + imei + "' and reason = 'bad-crc'", 1))
                .isEqualTo(1);
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
    }

    @Test
    void aDisabledDeviceIsRefusedAtItsLogin() throws Exception {
        String imei = "356307042448888";
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into devices (device_uid, protocol, enabled) values ('" + imei + "', 'teltonika', false)");
        }
        Reply reply = exchange(fc.teltonikaPort(), 5, login(imei), TeltonikaVectors.V2);
        assertThat(reply.hex()).isEqualTo("00");
        assertThat(reply.closed()).isTrue();
        assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isZero();
    }
}
