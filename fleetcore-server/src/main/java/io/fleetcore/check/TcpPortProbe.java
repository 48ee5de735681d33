package io.fleetcore.check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A gateway port of this instance accepts TCP connections (connect, then close without sending). */
public final class TcpPortProbe implements Probe {

    private final String name;
    private final String host;
    private final int port;

    public TcpPortProbe(String name, String host, int port) {
        this.name = name;
        this.host = host;
        this.port = port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProbeResult probe(Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(100, timeout.toMillis()));
            return ProbeResult.up(name, host + ":" + port + " accepts connections");
        } catch (IOException e) {
            return ProbeResult.down(name, host + ":" + port + ": " + e.getMessage());
        }
    }
}
