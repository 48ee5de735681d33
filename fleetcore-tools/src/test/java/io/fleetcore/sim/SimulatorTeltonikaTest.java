package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's Teltonika session against a minimal server speaking the server side of docs/protocols/teltonika.md:
 * IMEI, 01, AVL packet with a valid CRC, 4-byte count. The server withholds the first ACK of one device, so
 * that device must time out, reconnect, log in again and resend the same packet.
 */
class SimulatorTeltonikaTest {

    @Test
    void devicesLogInSendValidPacketsAndResendWhatWasNotAcked(@TempDir Path dir) throws Exception {
        Set<String> imeis = ConcurrentHashMap.newKeySet();
        AtomicInteger packets = new AtomicInteger();
        AtomicInteger badCrc = new AtomicInteger();
        AtomicInteger withheld = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread t = new Thread(() -> serve(s, imeis, packets, badCrc, withheld));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            Path ledger = dir.resolve("ledger.csv");
            Simulator.Settings settings = new Simulator.Settings("127.0.0.1", server.getLocalPort(),
                    Simulator.Protocol.TELTONIKA, 5, 4, 0, null, 200, ledger, Duration.ofMillis(700),
                    Duration.ofMillis(50), Duration.ZERO, true, 1, Duration.ofSeconds(1));
            Simulator.Result result = new Simulator(settings, System.out).run();

            assertThat(result.drained()).isTrue();
            assertThat(result.acked()).isEqualTo(200);
            assertThat(result.reconnects()).isPositive();
            assertThat(result.resent()).isEqualTo(4);
            assertThat(withheld.get()).isEqualTo(1);
            assertThat(badCrc.get()).isZero();
            assertThat(imeis).hasSize(5).allMatch(i -> i.matches("[0-9]{15}"));
            assertThat(packets.get()).isEqualTo(51); // 50 packets of 4, one of them sent twice
            List<String> lines = Files.readAllLines(ledger);
            assertThat(lines).hasSize(200).doesNotHaveDuplicates();
            Audit audit = new Audit();
            Ledger.read(ledger, audit::acked);
            Ledger.read(ledger, audit::stored);
            assertThat(audit.result()).isEqualTo(new Audit.Result(200, 200, 0, 0));
        }
    }

    private static void serve(Socket s, Set<String> imeis, AtomicInteger packets, AtomicInteger badCrc,
                              AtomicInteger withheld) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            byte[] imei = new byte[in.readUnsignedShort()];
            in.readFully(imei);
            String device = new String(imei, StandardCharsets.US_ASCII);
            boolean first = imeis.add(device);
            out.write(1);
            boolean withholdOnce = first && device.endsWith("00002") && withheld.incrementAndGet() == 1;
            while (true) {
                if (in.readInt() != 0) {
                    return;
                }
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                int crc = in.readInt();
                packets.incrementAndGet();
                if (crc != TeltonikaEncoder.crc16(data, 0, data.length)) {
                    badCrc.incrementAndGet();
                }
                if (withholdOnce) {
                    withholdOnce = false; // no ACK: the device must time out and resend
                    continue;
                }
                int count = data[1] & 0xFF;
                out.write(new byte[] {0, 0, 0, (byte) count});
                out.flush();
            }
        } catch (IOException e) {
            // device went away
        }
    }
}
