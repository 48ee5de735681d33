package io.fleetcore.testing;

import io.fleetcore.FleetcoreServer;
import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.broker.BrokerTopology;
import io.fleetcore.config.FleetcoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole fleetcore in this JVM, on the real route files, its own database and free ports. For integration
 * tests: {@code try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) { ... }}.
 */
public final class RunningFleetcore implements AutoCloseable {

    private final FleetcoreServer server;
    private final Map<String, String> settings;
    private boolean deleteQueuesOnClose;

    private RunningFleetcore(FleetcoreServer server, Map<String, String> settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * Defaults: a fresh database, free ports, the test broker with exchange and queues of its own;
     * {@code overrides} win (e.g. a proxied DB URL).
     */
    public static RunningFleetcore start(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("fleetcore.db.url", TestServices.newDatabase());
        s.put("fleetcore.db.user", "postgres");
        s.put("fleetcore.json.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.management.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.api.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.teltonika.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.gt06.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.bind-host", "127.0.0.1");
        s.put("fleetcore.data-dir", TestServices.buildDir() + "/data-" + TestServices.unique("it"));
        s.put("fleetcore.amqp.uri", TestServices.amqpUri());
        s.put("fleetcore.amqp.exchange", TestServices.unique("fleetcore"));
        s.put("fleetcore.amqp.retry-queue", TestServices.unique("fleetcore.retry"));
        s.put("fleetcore.amqp.parked-queue", TestServices.unique("fleetcore.parked"));
        s.put("fleetcore.amqp.ingest-queue", TestServices.unique("fleetcore.ingest"));
        s.put("fleetcore.feed.records.exchange", TestServices.unique("fleetcore.records"));
        s.put("fleetcore.feed.events.exchange", TestServices.unique("fleetcore.events"));
        boolean ownQueues = !overrides.containsKey("fleetcore.amqp.retry-queue");
        s.putAll(overrides);
        FleetcoreServer server = FleetcoreServer.create(FleetcoreConfig.load(s)).start();
        RunningFleetcore fc = new RunningFleetcore(server, s);
        fc.deleteQueuesOnClose = ownQueues;
        return fc;
    }

    public FleetcoreServer server() {
        return server;
    }

    public String setting(String key) {
        return server.runtime().config().get(key);
    }

    public int teltonikaPort() {
        return Integer.parseInt(setting("fleetcore.teltonika.port"));
    }

    /** Base URL of the read API and fleet page, e.g. {@code http://127.0.0.1:41234}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + setting("fleetcore.api.port");
    }

    public int jsonPort() {
        return Integer.parseInt(setting("fleetcore.json.port"));
    }

    /** A direct connection to fleetcore's database (not through any test proxy). */
    public Connection db() throws SQLException {
        String url = settings.getOrDefault("test.db.direct-url", settings.get("fleetcore.db.url"));
        return DriverManager.getConnection(url, "postgres", "");
    }

    /**
     * Waits (up to 15 s) until {@code sql}'s count is {@code expected} and returns the last count: in the
     * broker-first topology a row appears shortly after the ACK, not before it.
     */
    public long awaitCount(String sql, long expected) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long n = count(sql);
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count(sql);
        }
        return n;
    }

    public long count(String sql) throws SQLException {
        try (Connection c = db(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sends bytes on a new connection and returns what the server answers before closing or the timeout. */
    public static String exchange(int port, String payload, int expectReplyBytes, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(payload.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            try {
                while (reply.length() < expectReplyBytes) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    reply.append((char) b);
                }
            } catch (java.net.SocketTimeoutException e) {
                // what arrived is the answer
            }
            return reply.toString();
        }
    }

    /** The exchange and queues this fleetcore uses. */
    public BrokerTopology topology() {
        return BrokerConnection.topology(server.runtime().config());
    }

    /** Current value of a fleetcore counter, e.g. {@code fleetcore.records.redelivered}. */
    public double counter(String name) {
        return server.runtime().metrics().registry().get(name).counter().count();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (deleteQueuesOnClose) {
                TestBroker.delete(topology());
                TestBroker.deleteExchanges(setting("fleetcore.feed.records.exchange"), setting("fleetcore.feed.events.exchange"));
            }
        }
    }
}
