package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Zero-setup default: no FLEETCORE_DB_URL → embedded PostgreSQL under the data dir, kept across restarts. */
class EmbeddedDefaultIT {

    @Test
    void recordSurvivesARestartOnTheEmbeddedDatabase() throws Exception {
        int port = TestServices.freePort();
        Map<String, String> settings = embedded("embedded-data", port);
        String packet = "{\"device_number\":\"embedded-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
        try (FleetcoreServer first = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
            assertThat(first.runtime().database().isEmbedded()).isTrue();
            assertThat(RunningFleetcore.exchange(port, packet, 1, 10000)).isEqualTo("1");
        }
        try (FleetcoreServer second = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
            assertThat(count(second.runtime().database().dataSource())).isEqualTo(1);
            assertThat(RunningFleetcore.exchange(port, packet, 1, 10000)).isEqualTo("1");
            assertThat(count(second.runtime().database().dataSource())).as("a retransmit adds nothing").isEqualTo(1);
        }
    }

    /**
     * The embedded broker boots beside the embedded PostgreSQL: when it cannot (its port is taken), start-up fails
     * with the broker's reason and leaves no PostgreSQL running on the data dir, so the next start succeeds.
     */
    @Test
    void aBrokerThatCannotBootStopsTheDatabaseThatStartedBesideIt() throws Exception {
        int port = TestServices.freePort();
        Map<String, String> settings = embedded("embedded-broker-fails", port);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            settings.put("fleetcore.amqp.embedded-port", String.valueOf(taken.getLocalPort()));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetcoreServer.create(FleetcoreConfig.load(settings)).start())
                    .hasMessageContaining("cannot start the embedded broker");
        }
        String packet = "{\"device_number\":\"embedded-1\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";
        try (FleetcoreServer again = FleetcoreServer.create(FleetcoreConfig.load(settings)).start()) {
            assertThat(RunningFleetcore.exchange(port, packet, 1, 10000)).isEqualTo("1");
        }
    }

    /** Embedded PostgreSQL and broker on a fresh data dir, the json gateway on {@code port}, free other ports. */
    private static Map<String, String> embedded(String name, int port) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("fleetcore.db.url", "");
        settings.put("fleetcore.amqp.uri", "");
        settings.put("fleetcore.data-dir", TestServices.buildDir() + "/" + TestServices.unique(name));
        settings.put("fleetcore.bind-host", "127.0.0.1");
        settings.put("fleetcore.json.port", String.valueOf(port));
        for (String other : new String[] {"management", "api", "teltonika", "gt06"}) {
            settings.put("fleetcore." + other + ".port", String.valueOf(TestServices.freePort()));
        }
        return settings;
    }

    private static long count(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("select count(*) from records where device_uid = 'embedded-1'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
