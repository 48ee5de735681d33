package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.EmbeddedDatabase;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL of {@code java -jar fleetcore.jar} without {@code FLEETCORE_DB_URL}: as durable as a
 * real server (fsync, synchronous commit, full page writes), closed by a generated password, and every ACKed
 * record still there after its processes are killed, or after fleetcore itself is killed.
 */
class EmbeddedDurabilityIT {

    static final int RECORDS = 40;

    Map<String, String> settings;

    @AfterEach
    void deleteQueues() {
        if (settings != null) {
            TestBroker.delete(BrokerConnection.topology(FleetcoreConfig.load(settings)));
        }
    }

    Map<String, String> embeddedSettings(String dataDir) {
        Map<String, String> s = new HashMap<>();
        s.put("fleetcore.db.url", "");
        s.put("fleetcore.data-dir", dataDir);
        s.put("fleetcore.bind-host", "127.0.0.1");
        s.put("fleetcore.json.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.management.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.teltonika.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.gt06.port", String.valueOf(TestServices.freePort()));
        s.put("fleetcore.amqp.uri", TestServices.amqpUri());
        s.put("fleetcore.amqp.exchange", TestServices.unique("fleetcore"));
        s.put("fleetcore.amqp.retry-queue", TestServices.unique("fleetcore.retry"));
        s.put("fleetcore.amqp.parked-queue", TestServices.unique("fleetcore.parked"));
        s.put("fleetcore.amqp.ingest-queue", TestServices.unique("fleetcore.ingest"));
        settings = s;
        return s;
    }

    static String dataDir(String name) {
        return Path.of(TestServices.buildDir(), TestServices.unique(name)).toAbsolutePath().toString();
    }

    static String packet(String device, int i) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:%02d:%02d\","
                .formatted(i / 60, i % 60) + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
    }

    static long count(DataSource ds, String device) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from records where device_uid = '" + device + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theEmbeddedServerSyncsEveryCommitAndWantsItsGeneratedPassword() throws Exception {
        String dataDir = dataDir("embedded-durable");
        try (FleetcoreServer server = FleetcoreServer.create(FleetcoreConfig.load(embeddedSettings(dataDir))).start()) {
            assertThat(server.runtime().database().isEmbedded()).isTrue();
            try (Connection c = server.runtime().database().dataSource().getConnection()) {
                assertThat(show(c, "fsync")).isEqualTo("on");
                assertThat(show(c, "synchronous_commit")).isEqualTo("on");
                assertThat(show(c, "full_page_writes")).isEqualTo("on");
            }
            Path passwordFile = Path.of(dataDir, EmbeddedDatabase.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            String password = Files.readString(passwordFile).trim();
            assertThat(password).hasSize(32);

            String url = server.runtime().database().jdbcUrl();
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
                    .as("no trust: a connection without the password is refused").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (Connection c = DriverManager.getConnection(url, "postgres", password)) {
                assertThat(show(c, "fsync")).isEqualTo("on");
            }
        }
    }

    /** SIGKILL to the embedded postmaster and its children (only those of this data dir), and to nothing else. */
    static void killPostgres(Path clusterDir) throws Exception {
        ProcessHandle postmaster = EmbeddedDatabase.postmaster(clusterDir)
                .orElseThrow(() -> new AssertionError("no live postmaster named in " + clusterDir.resolve("postmaster.pid")));
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyAckedRecordSurvivesASigkillOfTheEmbeddedPostgresRightAfterItsAck() throws Exception {
        String dataDir = dataDir("embedded-sigkill");
        embeddedSettings(dataDir);
        int port = Integer.parseInt(settings.get("fleetcore.json.port"));
        int acked = 0;
        FleetcoreServer first = FleetcoreServer.create(FleetcoreConfig.load(settings)).start();
        try {
            for (int i = 0; i < RECORDS; i++) {
                if (RunningFleetcore.exchange(port, packet("sigkill-pg", i), 1, 10000).equals("1")) {
                    acked++;
                }
            }
            // at once: a commit that was ACKed but only sits in PostgreSQL's WAL buffers dies here
            killPostgres(EmbeddedDatabase.clusterDir(Path.of(dataDir)));
        } finally {
            first.close();
        }
        assertThat(acked).isEqualTo(RECORDS);
        try (FleetcoreServer second = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
            assertThat(count(second.runtime().database().dataSource(), "sigkill-pg")).as("ACKed records after the crash")
                    .isEqualTo(acked);
        }
    }

    @Test
    void afterKillMinus9OfFleetcoreTheNextStartOnTheSameDataDirFindsEveryRecord() throws Exception {
        String dataDir = dataDir("embedded-kill9");
        embeddedSettings(dataDir);
        int port = Integer.parseInt(settings.get("fleetcore.json.port"));
        Map<String, String> env = new HashMap<>();
        settings.forEach((k, v) -> env.put(FleetcoreConfig.envName(k), v));
        Path clusterDir = EmbeddedDatabase.clusterDir(Path.of(dataDir));
        long orphanPid;
        int acked = 0;
        try (JarProcess jar = JarProcess.start(List.of(), env, Path.of(TestServices.buildDir(), "embedded-kill9",
                TestServices.unique("fleetcore") + ".log"))) {
            jar.awaitPort(port, Duration.ofSeconds(120));
            for (int i = 0; i < RECORDS; i++) {
                if (RunningFleetcore.exchange(port, packet("kill9-jvm", i), 1, 10000).equals("1")) {
                    acked++;
                }
            }
            jar.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9 of the fleetcore JVM only
            orphanPid = EmbeddedDatabase.postmaster(clusterDir).map(ProcessHandle::pid)
                    .orElseThrow(() -> new AssertionError("the killed JVM's postmaster is expected to outlive it"));
        }
        assertThat(acked).isEqualTo(RECORDS);
        try (FleetcoreServer second = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
            assertThat(count(second.runtime().database().dataSource(), "kill9-jvm")).isEqualTo(acked);
            assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).as("the orphaned postmaster was stopped").isEmpty();
            assertThat(EmbeddedDatabase.postmaster(clusterDir).map(ProcessHandle::pid)).isPresent().get().isNotEqualTo(orphanPid);
        }
    }
}
