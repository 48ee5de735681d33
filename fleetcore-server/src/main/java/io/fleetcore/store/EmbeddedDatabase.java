package io.fleetcore.store;

import io.fleetcore.config.GeneratedSecret;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL fleetcore starts itself when {@code FLEETCORE_DB_URL} is empty (zonky's binaries), made as
 * durable and as closed as a real server:
 * <ul>
 *   <li>{@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on (zonky starts the server
 *       with {@code -F} and {@code synchronous_commit=off}; the {@code -c} options given here come after
 *       {@code -F} on the command line and win),</li>
 *   <li>superuser {@code postgres} with a generated password ({@code postgres.password} beside the cluster,
 *       0600) and {@code scram-sha-256} in {@code pg_hba.conf} instead of trust,</li>
 *   <li>a postmaster left running by a fleetcore that was killed ({@code kill -9}) is stopped before the
 *       cluster is started again.</li>
 * </ul>
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String SUPERUSER = "postgres";
    /** Where the generated password is kept, relative to the data dir. */
    public static final String PASSWORD_FILE = "postgres.password";
    static final List<String> DURABILITY = List.of("fsync", "synchronous_commit", "full_page_writes");
    static final String HBA = """
            # written by fleetcore: password (scram-sha-256) for every connection, no trust
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private EmbeddedDatabase() {
    }

    /** The cluster's directory under the data dir. */
    public static Path clusterDir(Path dataDir) {
        return dataDir.resolve("postgres");
    }

    /** The superuser password of the embedded cluster of {@code dataDir} (generated on first use). */
    public static String password(Path dataDir) {
        return GeneratedSecret.readOrCreate(dataDir.resolve(PASSWORD_FILE));
    }

    /** Where the repacked PostgreSQL bundles are (fleetcore-server/src/build/RepackPostgresBundles.java). */
    static final String BUNDLES = "fleetcore-postgres/";

    /**
     * The PostgreSQL bundle of this platform: the repacked one in {@link #BUNDLES} (Linux amd64 and arm64), else
     * zonky's (the other platforms, built with {@code -Pall-platforms}).
     */
    static InputStream binaries(String system, String architecture) throws IOException {
        String name = BUNDLES + ("postgres-" + system + "-" + ArchUtils.normalize(architecture) + ".txz").toLowerCase(Locale.ROOT);
        InputStream repacked = EmbeddedDatabase.class.getClassLoader().getResourceAsStream(name);
        return repacked != null ? repacked : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
    }

    /** Starts (creating on first use) the cluster of {@code dataDir}; returns once it accepts connections. */
    public static EmbeddedPostgres start(Path dataDir) {
        Path dir = clusterDir(dataDir);
        try {
            Files.createDirectories(dir);
            String password = password(dataDir);
            stopOrphanedPostmaster(dir);
            LOG.info("FLEETCORE_DB_URL is empty: starting embedded PostgreSQL with data in {}", dir.toAbsolutePath());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(EmbeddedDatabase::binaries)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setConnectConfig("password", password);
            for (String setting : DURABILITY) {
                builder.setServerConfig(setting, "on");
            }
            EmbeddedPostgres postgres = builder.start();
            try {
                requirePassword(postgres, dir, password);
            } catch (IOException | SQLException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            return postgres;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL in " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets the superuser's password and replaces initdb's trust rules with password rules, then reloads.
     * Idempotent: on a cluster already secured this only confirms the password.
     */
    static void requirePassword(EmbeddedPostgres postgres, Path dir, String password) throws IOException, SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("set password_encryption = 'scram-sha-256'");
            // ALTER ROLE takes no bind parameters: quote the (hex) password as a literal
            st.execute("alter role " + SUPERUSER + " with password '"
                    + c.unwrap(org.postgresql.PGConnection.class).escapeLiteral(password) + "'");
            Path hba = dir.resolve("pg_hba.conf");
            if (!Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
                Files.writeString(hba, HBA, StandardCharsets.UTF_8);
                try (PreparedStatement reload = c.prepareStatement("select pg_reload_conf()")) {
                    reload.execute();
                }
                LOG.info("embedded PostgreSQL: superuser {} now needs the password in {}", SUPERUSER,
                        dir.getParent().resolve(PASSWORD_FILE).toAbsolutePath());
            }
        }
    }

    /**
     * A postmaster that still runs on {@code dir} (its fleetcore was killed and could not stop it) holds the
     * cluster's lock file, so a new one could not start: stop it (SIGTERM: its sessions are gone with the
     * killed process, so it shuts down cleanly), force it after 30 s. Only a live {@code postgres} process
     * whose lock file names this very directory is touched.
     */
    static void stopOrphanedPostmaster(Path dir) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(dir);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle pm = orphan.get();
        LOG.warn("embedded PostgreSQL: a postmaster (pid {}) still runs on {} (fleetcore was killed?); stopping it",
                pm.pid(), dir.toAbsolutePath());
        pm.destroy();
        try {
            pm.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("embedded PostgreSQL: postmaster {} did not stop within 30 s; killing it (crash recovery follows)", pm.pid());
            pm.descendants().forEach(ProcessHandle::destroyForcibly);
            pm.destroyForcibly();
            try {
                pm.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new IOException("postmaster " + pm.pid() + " on " + dir.toAbsolutePath() + " does not stop");
            }
        }
    }

    /** The live postmaster that {@code dir/postmaster.pid} names, if that file names this directory. */
    public static Optional<ProcessHandle> postmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!Files.exists(Path.of(lines.get(1).trim())) || !Files.isSameFile(Path.of(lines.get(1).trim()), dir)) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("postgres.exe")).orElse(false));
    }
}
