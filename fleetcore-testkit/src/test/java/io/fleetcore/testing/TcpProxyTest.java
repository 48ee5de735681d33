package io.fleetcore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's faults against a local echo server: what fleetcore sees of a cut, a black hole, a heal. */
class TcpProxyTest {

    private ServerSocket echo;
    private Thread acceptor;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0);
        acceptor = new Thread(this::serve, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = TcpProxy.to("127.0.0.1", echo.getLocalPort());
    }

    private void serve() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    } catch (IOException ignored) {
                        // client gone
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void cutClosesConnectionsAndRefusesNewOnesUntilHealed() throws Exception {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 'a')).isEqualTo('a');
            proxy.cut();
            assertThat(readOrEnd(s)).isEqualTo(-1);
        }
        assertThatThrownBy(this::connect).isInstanceOf(IOException.class);
        proxy.restore(false);
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 'b')).isEqualTo('b');
        }
    }

    @Test
    void blackHoleSwallowsTrafficAndHealDeliversItLate() throws Exception {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 'a')).isEqualTo('a');
            proxy.freeze();
            s.getOutputStream().write('c');
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.restore(false);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo('c');
        }
    }

    @Test
    void blackHoleHealedByDroppingClosesTheHeldConnections() throws Exception {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 'a')).isEqualTo('a');
            proxy.freeze();
            proxy.restore(true);
            assertThat(readOrEnd(s)).isEqualTo(-1);
        }
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 'd')).isEqualTo('d');
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static int roundTrip(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        return s.getInputStream().read();
    }

    /** -1 when the proxy closed the connection (a reset counts as closed too). */
    private static int readOrEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1;
        }
    }
}
