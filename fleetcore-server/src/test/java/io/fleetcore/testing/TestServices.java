package io.fleetcore.testing;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.Database;
import io.fleetcore.broker.EmbeddedBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real services tests talk to. {@code FLEETCORE_TEST_SERVICES=external} (CI) insists on PostgreSQL at
 * 127.0.0.1:5432 and RabbitMQ at 127.0.0.1:5672; {@code embedded} always uses embedded ones; unset means
 * external when reachable, embedded otherwise. Every test class gets a database of its own, so test runs
 * (and developers running several at once) never see each other's rows.
 */
public final class TestServices {

    public static final String PG_HOST = "127.0.0.1";
    public static final int PG_PORT = 5432;
    public static final int AMQP_PORT = 5672;

    private static final List<String> CREATED = new ArrayList<>();
    private static EmbeddedPostgres embedded;
    private static EmbeddedBroker embeddedBroker;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropCreated, "drop-test-databases"));
    }

    private TestServices() {
    }

    public static String mode() {
        String m = System.getenv("FLEETCORE_TEST_SERVICES");
        return m == null ? "auto" : m.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean externalPostgres() {
        return switch (mode()) {
            case "external" -> {
                if (!reachable(PG_HOST, PG_PORT)) {
                    throw new IllegalStateException("FLEETCORE_TEST_SERVICES=external but PostgreSQL is not reachable at "
                            + PG_HOST + ":" + PG_PORT);
                }
                yield true;
            }
            case "embedded" -> false;
            default -> reachable(PG_HOST, PG_PORT);
        };
    }

    public static boolean externalBroker() {
        return switch (mode()) {
            case "external" -> {
                if (!reachable(PG_HOST, AMQP_PORT)) {
                    throw new IllegalStateException("FLEETCORE_TEST_SERVICES=external but RabbitMQ is not reachable at "
                            + PG_HOST + ":" + AMQP_PORT);
                }
                yield true;
            }
            case "embedded" -> false;
            default -> reachable(PG_HOST, AMQP_PORT);
        };
    }

    /** A new, empty database; returns its JDBC URL (user {@code postgres}, no password). */
    public static synchronized String newDatabase() {
        String name = "fc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = adminUrl();
        try (Connection c = DriverManager.getConnection(admin, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database via " + admin + ": " + e.getMessage(), e);
        }
        CREATED.add(name);
        return admin.replaceFirst("/[^/?]+(\\?.*)?$", "/" + name);
    }

    /**
     * A new database migrated to the current schema, as the server starts it (Flyway, pool), with {@code settings}
     * (e.g. {@code fleetcore.db.pool-size}) over the defaults; the caller closes it.
     */
    public static Database newMigratedDatabase(String... settings) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            keys.put(settings[i], settings[i + 1]);
        }
        keys.put("fleetcore.db.url", newDatabase());
        return Database.start(FleetcoreConfig.load(keys));
    }

    private static String adminUrl() {
        if (externalPostgres()) {
            return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres";
        }
        return embeddedPostgres().getJdbcUrl("postgres", "postgres");
    }

    private static synchronized EmbeddedPostgres embeddedPostgres() {
        if (embedded == null) {
            try {
                Path dir = Path.of(buildDir(), "embedded-pg-" + ProcessHandle.current().pid());
                Files.createDirectories(dir);
                embedded = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL for tests", e);
            }
        }
        return embedded;
    }

    /**
     * The AMQP URI tests use: RabbitMQ at 127.0.0.1:5672 (guest/guest) when external, otherwise one embedded
     * broker per JVM on a free port. Tests isolate themselves with {@link #unique(String)} queue names.
     */
    public static String amqpUri() {
        if (externalBroker()) {
            return "amqp://guest:guest@" + PG_HOST + ":" + AMQP_PORT + "/";
        }
        return embeddedBroker().uri();
    }

    private static synchronized EmbeddedBroker embeddedBroker() {
        if (embeddedBroker == null) {
            Path dir = Path.of(buildDir(), "embedded-broker-" + ProcessHandle.current().pid());
            embeddedBroker = EmbeddedBroker.start(dir, PG_HOST, freePort());
        }
        return embeddedBroker;
    }

    public static String buildDir() {
        String dir = System.getenv("FLEETCORE_TEST_BUILD_DIR");
        return dir == null ? "target" : dir;
    }

    /** A name no other test run uses (queues, exchanges). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static int freePort() {
        return FreePorts.next();
    }

    public static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized void dropCreated() {
        if (CREATED.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            for (String name : CREATED) {
                try {
                    st.execute("drop database if exists " + name + " with (force)");
                } catch (SQLException ignored) {
                    // left behind; harmless, named fc_test_*
                }
            }
        } catch (SQLException | RuntimeException ignored) {
            // services already gone
        }
    }
}
