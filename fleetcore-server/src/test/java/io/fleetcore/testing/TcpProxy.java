package io.fleetcore.testing;

import java.io.IOException;
import java.net.URI;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * An in-process TCP proxy (NetCrusher) between fleetcore and a real service, so a test can make the
 * service unreachable deterministically: {@link #cut()} closes every connection and refuses new ones,
 * {@link #freeze()} black-holes traffic, {@link #restore()} brings it back.
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
            int port = TestServices.freePort();
            TcpCrusher crusher = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(host, targetPort)
                    .buildAndOpen();
            return new TcpProxy(reactor, crusher, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start TCP proxy", e);
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

    /** Closes every proxied connection and refuses new ones. */
    public void cut() {
        if (crusher.isOpen()) {
            crusher.close();
        }
    }

    /** Traffic stops flowing without any connection being closed (a black hole). */
    public void freeze() {
        crusher.freeze();
    }

    /** Accepts connections and passes traffic again. */
    public void restore() {
        if (!crusher.isOpen()) {
            crusher.open();
        }
        if (crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }
}
