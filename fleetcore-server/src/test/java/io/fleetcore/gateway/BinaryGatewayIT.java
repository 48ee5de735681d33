package io.fleetcore.gateway;

import io.fleetcore.testing.RunningFleetcore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A running fleetcore for socket-level gateway tests of a binary protocol, and a device's side of a connection. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BinaryGatewayIT {

    static final HexFormat HEX = HexFormat.of().withUpperCase();

    RunningFleetcore fc;

    /** Settings of the topology under test; a subclass runs the same tests on broker-first. */
    Map<String, String> topology() {
        return Map.of();
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

    /** Writes the frames (hex), reads until {@code replyBytes} arrived, the server closed, or 3 s passed. */
    static Reply exchange(int port, int replyBytes, String... frames) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(HEX.parseHex(String.join("", frames)));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = false;
            try {
                while (got.size() < replyBytes) {
                    int b = in.read();
                    if (b < 0) {
                        closed = true;
                        break;
                    }
                    got.write(b);
                }
                if (!closed) {
                    closed = in.read() < 0;
                }
            } catch (SocketTimeoutException e) {
                // still open
            }
            return new Reply(HEX.formatHex(got.toByteArray()), closed);
        }
    }

    /** What the device received (hex) and whether the server closed the connection. */
    record Reply(String hex, boolean closed) {
    }
}
