package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator disables a Teltonika device through the API while it is connected: its very next packet is
 * refused (no ACK, kept in rejected_frames, connection closed) and its next login answered 00. A device
 * disabled behind this instance's back (another instance, SQL) is refused within fleetcore.devices.refresh.
 */
class TeltonikaDisabledDeviceIT {

    static final String ADMIN = "ops-key-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static int patch(RunningFleetcore fc, String device, boolean enabled) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(fc.apiUrl() + "/api/v1/devices/" + device))
                .header("X-API-Key", ADMIN).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled + "}")).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void disabledThroughTheApiTheNextPacketAndLoginAreRefused() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.api.keys", "ops:" + ADMIN + ":admin"))) {
            String imei = TeltonikaVectors.IMEI;
            try (TeltonikaGatewayIT.Device d = new TeltonikaGatewayIT.Device(fc.teltonikaPort())) {
                assertThat(d.send(TeltonikaVectors.LOGIN, 1)).isEqualTo("01");
                assertThat(d.send(TeltonikaVectors.V1, 4)).isEqualTo("00000001");
                assertThat(patch(fc, imei, false)).isEqualTo(200);
                assertThat(d.send(TeltonikaVectors.V2, 4)).as("no ACK for the next packet").isEmpty();
                assertThat(d.closedWithoutReply()).isTrue();
            }
            assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isEqualTo(1);
            assertThat(fc.count("select count(*) from rejected_frames where device_uid = '" + imei + "' and reason = 'device-disabled'")).isEqualTo(1);
            try (TeltonikaGatewayIT.Device d = new TeltonikaGatewayIT.Device(fc.teltonikaPort())) {
                assertThat(d.send(TeltonikaVectors.LOGIN, 1)).as("login refused").isEqualTo("00");
            }

            assertThat(patch(fc, imei, true)).isEqualTo(200);
            try (TeltonikaGatewayIT.Device d = new TeltonikaGatewayIT.Device(fc.teltonikaPort())) {
                assertThat(d.send(TeltonikaVectors.LOGIN, 1)).isEqualTo("01");
                assertThat(d.send(TeltonikaVectors.V2, 4)).isEqualTo("00000001");
            }
            assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isEqualTo(2);
        }
    }

    @Test
    void disabledElsewhereTheGatewaysFollowWithinTheRefreshInterval() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.devices.refresh", "500ms"))) {
            String imei = TeltonikaVectors.IMEI;
            try (TeltonikaGatewayIT.Device d = new TeltonikaGatewayIT.Device(fc.teltonikaPort())) {
                assertThat(d.send(TeltonikaVectors.LOGIN, 1)).isEqualTo("01");
                assertThat(d.send(TeltonikaVectors.V1, 4)).isEqualTo("00000001");
                try (Connection c = fc.db(); Statement st = c.createStatement()) {
                    st.executeUpdate("update devices set enabled = false where device_uid = '" + imei + "'");
                }
                // within a refresh interval (500 ms) the gateway knows: wait for it the way a device would see it
                assertThat(fc.awaitCount("select count(*) from devices where device_uid = '" + imei + "' and not enabled", 1)).isEqualTo(1);
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (!fc.server().runtime().beans().containsKey("disabledDevices")
                        || !((io.fleetcore.gateway.DisabledDevices) fc.server().runtime().beans().get("disabledDevices")).isDisabled(imei)) {
                    assertThat(System.nanoTime()).as("disabled within 3 s").isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(d.send(TeltonikaVectors.V2, 4)).as("no ACK").isEmpty();
            }
            assertThat(fc.count("select count(*) from records where device_uid = '" + imei + "'")).isEqualTo(1);
        }
    }
}
