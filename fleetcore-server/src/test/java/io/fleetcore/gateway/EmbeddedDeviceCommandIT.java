package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.protocol.teltonika.TeltonikaCommand;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Device commands on a single instance with the embedded broker (Qpid, AMQP 0-9-1): the server-named command
 * and reply queues, the mandatory return of an unroutable command, and the CLI finding the running instance's
 * embedded broker by its port.
 */
class EmbeddedDeviceCommandIT {

    @Test
    void commandsWorkWithTheEmbeddedBroker() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.amqp.uri", "",
                "fleetcore.amqp.embedded-port", String.valueOf(TestServices.freePort())))) {
            assertThat(fc.server().runtime().broker().isEmbedded()).isTrue();
            String imei = "356307042441505";
            try (DeviceCommandIT.Device device = new DeviceCommandIT.Device(fc.teltonikaPort(), imei)) {
                CompletableFuture<DeviceCommandIT.Run> run = DeviceCommandIT.cli(fc, imei, "getinfo");
                assertThat(device.read(27)).isEqualTo(DeviceCommandIT.GETINFO);
                device.write(HexFormat.of().formatHex(TeltonikaCommand.response(DeviceCommandIT.GETINFO_TEXT)));
                DeviceCommandIT.Run r = run.get(20, TimeUnit.SECONDS);
                assertThat(r.out()).isEqualTo(DeviceCommandIT.GETINFO_TEXT + System.lineSeparator());
                assertThat(r.exit()).isZero();
            }
            DeviceCommandIT.Run offline = DeviceCommandIT.cli(fc, "356307042449998", "getinfo", "--timeout", "20").get(20, TimeUnit.SECONDS);
            assertThat(offline.err()).isEqualTo("device 356307042449998 is not connected to any instance" + System.lineSeparator());
            assertThat(offline.exit()).isEqualTo(3);
            assertThat(offline.millis()).isLessThan(5_000);
        }
    }
}
