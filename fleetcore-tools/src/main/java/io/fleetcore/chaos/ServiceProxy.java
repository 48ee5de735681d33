package io.fleetcore.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A TCP proxy (NetCrusher) between fleetcore and PostgreSQL or RabbitMQ that the chaos run controls:
 * {@link #cut()} closes every connection and refuses new ones, {@link #blackHole()} lets nothing through
 * while connections stay open, {@link #heal(boolean)} brings traffic back.
 */
public final class ServiceProxy implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final int port;

    private ServiceProxy(NioReactor reactor, TcpCrusher crusher, int port) {
        this.reactor = reactor;
        this.crusher = crusher;
        this.port = port;
    }

    public static ServiceProxy to(String host, int targetPort) {
        try {
            NioReactor reactor = new NioReactor();
            int port = freePort();
            TcpCrusher crusher = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(host, targetPort)
                    .buildAndOpen();
            return new ServiceProxy(reactor, crusher, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TCP proxy to " + host + ":" + targetPort, e);
        }
    }

    public int port() {
        return port;
    }

    /** Closes every proxied connection; new connections are refused until {@link #heal}. */
    public synchronized void cut() {
        if (crusher.isOpen()) {
            crusher.close();
        }
    }

    /** Nothing passes in either direction and no connection is closed. */
    public synchronized void blackHole() {
        if (crusher.isOpen() && !crusher.isFrozen()) {
            crusher.freeze();
        }
    }

    /**
     * Traffic flows again. {@code dropHeldConnections}: the connections caught in a black hole are closed
     * (what they sent vanished), otherwise they resume and deliver late.
     */
    public synchronized void heal(boolean dropHeldConnections) {
        if (!crusher.isOpen()) {
            crusher.open();
            return;
        }
        if (dropHeldConnections) {
            crusher.closeAllPairs();
        }
        if (crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    @Override
    public synchronized void close() {
        crusher.close();
        reactor.close();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
