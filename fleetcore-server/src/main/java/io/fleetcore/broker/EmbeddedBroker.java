package io.fleetcore.broker;

import io.fleetcore.config.GeneratedSecret;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process AMQP 0-9-1 broker (Apache Qpid Broker-J) standing in for RabbitMQ when
 * {@code FLEETCORE_AMQP_URI} is empty. Messages and queues live in a Derby store under {@code dir}, so a
 * persistent message on a durable queue survives a restart. Listens on {@code host:port}; its one user is
 * {@value #USER} with a generated password kept in {@code dir/}{@value #PASSWORD_FILE} (0600), not guest/guest.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String INITIAL_CONFIG = "io/fleetcore/broker/qpid-embedded.json";
    public static final String USER = "fleetcore";
    public static final String PASSWORD_FILE = "broker.password";

    private final SystemLauncher launcher;
    private final String host;
    private final int port;
    private final String password;

    private EmbeddedBroker(SystemLauncher launcher, String host, int port, String password) {
        this.launcher = launcher;
        this.host = host;
        this.port = port;
        this.password = password;
    }

    /** Starts the broker with its store in {@code dir}; returns once it accepts connections. */
    public static EmbeddedBroker start(Path dir, String host, int port) {
        try {
            Files.createDirectories(dir);
            if (System.getProperty("derby.stream.error.file") == null) {
                // Derby's own log next to its store, not in the working directory
                System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toAbsolutePath().toString());
            }
            URL initial = EmbeddedBroker.class.getClassLoader().getResource(INITIAL_CONFIG);
            if (initial == null) {
                throw new IllegalStateException(INITIAL_CONFIG + " missing from the classpath");
            }
            String password = GeneratedSecret.readOrCreate(dir.resolve(PASSWORD_FILE));
            Map<String, String> context = new HashMap<>();
            context.put("fleetcore.broker.user", USER);
            context.put("fleetcore.broker.password", password);
            context.put("qpid.work_dir", dir.toAbsolutePath().toString());
            context.put("qpid.amqp_port", String.valueOf(port));
            context.put("fleetcore.broker.host", host);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "JSON");
            attributes.put("storePath", dir.resolve("config.json").toAbsolutePath().toString());
            attributes.put("initialConfigurationLocation", initial.toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", context);
            SystemLauncher launcher = new SystemLauncher();
            // Derby's store honours DriverManager's login timeout, which HikariCP sets JVM-wide to the
            // database connection timeout; booting the store can take longer than that on a busy machine
            int loginTimeout = DriverManager.getLoginTimeout();
            DriverManager.setLoginTimeout(0);
            try {
                launcher.startup(attributes);
            } finally {
                DriverManager.setLoginTimeout(loginTimeout);
            }
            LOG.info("FLEETCORE_AMQP_URI is empty: embedded AMQP 0-9-1 broker (Qpid Broker-J) on {}:{}, store in {}",
                    host, port, dir.toAbsolutePath());
            return new EmbeddedBroker(launcher, host, port, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create broker directory " + dir.toAbsolutePath(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded broker on " + host + ":" + port + " with store "
                    + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** {@code amqp://fleetcore:<generated password>@host:port/}: keep it out of logs. */
    public String uri() {
        return "amqp://" + USER + ":" + password + "@" + host + ":" + port + "/";
    }

    /** The URI of the embedded broker with its store in {@code dir} (running in another process, say). */
    public static String uri(Path dir, String host, int port) {
        return "amqp://" + USER + ":" + GeneratedSecret.readOrCreate(dir.resolve(PASSWORD_FILE)) + "@" + host + ":" + port + "/";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}
