package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a device sees when things go wrong: never a '1' for a record that is not durable. */
class JsonGatewayFailureIT {

    @Test
    void noAckWhileNothingCanMakeTheRecordDurable() throws Exception {
        String db = TestServices.newDatabase();
        try (TcpProxy dbProxy = TcpProxy.forJdbc(db);
             RunningFleetcore fc = RunningFleetcore.start(Map.of(
                     "fleetcore.db.url", dbProxy.jdbcUrl(db),
                     "test.db.direct-url", db,
                     "fleetcore.db.connection-timeout", "1s",
                     // no broker either: the dead-letter path must not be able to make it durable
                     "fleetcore.amqp.uri", "amqp://guest:guest@127.0.0.1:1/"))) {
            String packet = JsonGatewayIT.PACKET.replace("86915304265485", "outage-dev");
            dbProxy.cut();
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 20000)).as("reply while storage is down").isEmpty();
            dbProxy.restore();
            // the device sends again, as a real one does
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 20000)).isEqualTo("1");
            assertThat(fc.count("select count(*) from records where device_uid = 'outage-dev'")).isEqualTo(1);
        }
    }

    @Test
    void garbageThatCannotBeFramedClosesOnlyThatConnection() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            byte[] junk = new byte[1024 * 1024];
            java.util.Arrays.fill(junk, (byte) 'A');
            try (Socket s = new Socket("127.0.0.1", fc.jsonPort())) {
                s.setSoTimeout(10000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                StringBuilder reply = new StringBuilder();
                try {
                    out.write(junk);
                    out.flush();
                    for (int b; (b = in.read()) >= 0; ) {
                        reply.append((char) b);
                    }
                } catch (SocketException reset) {
                    // the server closed while the rest of the junk was still arriving
                }
                assertThat(reply.toString()).as("refused (never ACKed), then closed").isIn("0", "");
            }
            String packet = JsonGatewayIT.PACKET.replace("86915304265485", "after-garbage");
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet, 1, 5000)).isEqualTo("1");
            assertThat(fc.count("select count(*) from records")).isEqualTo(1);
            assertThat(fc.count("select count(*) from rejected_frames where reason = 'frame-too-large'"
                    + " and frame_hex = '" + "41".repeat(1024) + "'")).as("its first KiB kept").isEqualTo(1);
        }
    }
}
