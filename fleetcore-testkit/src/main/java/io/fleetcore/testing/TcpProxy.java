package io.fleetcore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * An in-process TCP proxy (NetCrusher) between fleetcore and a real service (PostgreSQL, RabbitMQ), for the
 * tests and the chaos run: {@link #cut()} closes every connection and refuses new ones, {@link #freeze()}
 * black-holes traffic while connections stay open, {@link #restore(boolean)} brings traffic back.
 */
public final class TcpProxy implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final int port;

    private TcpProxy(NioReactor reactor, TcpCrusher crusher, int port) {
        this.reactor = reactor;
        this.crusher = crusher;
        this.port = port;
    }

    public static TcpProxy to(String host, int targetPort) {
        try {
            NioReactor reactor = new NioReactor();
            int port = FreePorts.next();
            TcpCrusher crusher = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(host, targetPort)
                    .buildAndOpen();
            return new TcpProxy(reactor, crusher, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TCP proxy to " + host + ":" + targetPort, e);
        }
    }

    /** A proxy in front of the PostgreSQL of {@code jdbcUrl}. */
    public static TcpProxy forJdbc(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return to(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** {@code jdbcUrl} rewritten to go through this proxy. */
    public String jdbcUrl(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** Closes every proxied connection; new connections are refused until {@link #restore}. */
    public synchronized void cut() {
        if (crusher.isOpen()) {
            crusher.close();
        }
    }

    /** Nothing passes in either direction and no connection is closed (a black hole). */
    public synchronized void freeze() {
        if (crusher.isOpen() && !crusher.isFrozen()) {
            crusher.freeze();
        }
    }

    /** Accepts connections and passes traffic again; connections held in a black hole resume. */
    public void restore() {
        restore(false);
    }

    /**
     * Traffic flows again. {@code dropHeldConnections}: the connections caught in a black hole are closed
     * (what they sent vanished), otherwise they resume and deliver late.
     */
    public synchronized void restore(boolean dropHeldConnections) {
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
}
