package io.fleetcore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * An in-process TCP proxy (NetCrusher) a test puts between fleetcore and a service, to make that service
 * unreachable on demand: {@link #cut()} drops every connection and refuses new ones, {@link #restore()}
 * accepts again.
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
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The service is gone: open connections are closed, new ones refused. */
    public void cut() {
        if (crusher.isOpen()) {
            crusher.close();
        }
    }

    /** The service is back. */
    public void restore() {
        if (!crusher.isOpen()) {
            crusher.open();
        }
    }

    @Override
    public void close() {
        cut();
        reactor.close();
    }
}
