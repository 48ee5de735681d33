package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Device alerts against a real PostgreSQL: one open alert per threshold crossing, closed by a clean window. */
class DeviceIntegrityIT {

    Database db;
    AlertPublisher alerts;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DeviceIntegrity integrity;

    @BeforeEach
    void start() throws Exception {
        db = TestServices.newMigratedDatabase();
        alerts = new AlertPublisher(db.dataSource(), 100, "", meters);
        integrity = new DeviceIntegrity(db.dataSource(), Duration.ofHours(1), alerts, "test");
    }

    @AfterEach
    void stop() {
        db.close();
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code n} findings of {@code rule} for {@code device}, on record ids from {@code firstRecord}. */
    static String findings(String device, String rule, int firstRecord, int n) {
        return "insert into quality_findings (record_id, device_uid, fix_time, rule_code, detail)"
                + " select g, '" + device + "', now(), '" + rule + "', 'test'"
                + " from generate_series(" + firstRecord + ", " + (firstRecord + n - 1) + ") g";
    }

    @Test
    void crossingTheThresholdOpensOneAlertAndItsEventIsWrittenOnce() throws Exception {
        sql("update quality_rules set threshold = 3 where code = 'coordinates_out_of_range'",
                findings("over", "coordinates_out_of_range", 1, 3), findings("under", "coordinates_out_of_range", 100, 2));
        List<Alert> first = integrity.run();
        assertThat(first).extracting(Alert::subject, Alert::state, Alert::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple("over", "open", 3L));
        assertThat(integrity.run()).as("second tick: already open").isEmpty();
        sql(findings("over", "coordinates_out_of_range", 10, 5));
        assertThat(integrity.run()).as("more findings: still the same open alert").isEmpty();
        assertThat(count("select count(*) from device_alerts where device_uid = 'over'")).isEqualTo(1);
        assertThat(count("select finding_count from device_alerts where device_uid = 'over'")).isEqualTo(3);
        assertThat(count("select count(*) from device_alerts where device_uid = 'under'")).isZero();

        List<JsonNode> events = events("over");
        assertThat(events).hasSize(1);
        JsonNode posted = events.get(0);
        assertThat(posted.path("kind").asText()).isEqualTo("device");
        assertThat(posted.path("state").asText()).isEqualTo("open");
        assertThat(posted.path("rule").asText()).isEqualTo("coordinates_out_of_range");
        assertThat(posted.path("count").asLong()).isEqualTo(3);
        assertThat(posted.path("critical").asBoolean()).isTrue();
        assertThat(meters.counter("fleetcore.alerts", "kind", "device", "state", "open").count()).isEqualTo(1);
    }

    /** The alerts about {@code subject} in table events (the events feed's source), oldest first. */
    List<JsonNode> events(String subject) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select payload::text from events where subject = '" + subject + "' order by id")) {
            while (rs.next()) {
                out.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1)));
            }
        }
        return out;
    }

    @Test
    void rejectedFramesCountAgainstTheirDevice() throws Exception {
        sql("insert into rejected_frames (protocol, device_uid, reason, frame_hex)"
                + " select 'json', 'garbler', 'bad-date', '7b' from generate_series(1, 10)");
        assertThat(integrity.run()).extracting(Alert::subject, Alert::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("garbler", "rejected_frames"));
    }

    @Test
    void aCleanWindowClosesTheAlertAndANewCrossingOpensANewOne() throws Exception {
        sql("update quality_rules set threshold = 2 where code = 'null_island'", findings("dev", "null_island", 1, 2));
        assertThat(integrity.run()).hasSize(1);
        sql("update quality_findings set found_at = now() - interval '2 hours'");
        assertThat(integrity.run()).extracting(Alert::state).containsExactly("closed");
        assertThat(count("select count(*) from device_alerts where closed_at is not null")).isEqualTo(1);
        assertThat(integrity.run()).as("closed once").isEmpty();
        sql(findings("dev", "null_island", 5, 2));
        assertThat(integrity.run()).extracting(Alert::state).containsExactly("open");
        assertThat(count("select count(*) from device_alerts where device_uid = 'dev'")).isEqualTo(2);
        assertThat(count("select count(*) from device_alerts where device_uid = 'dev' and closed_at is null")).isEqualTo(1);
        assertThat(events("dev")).extracting(n -> n.path("state").asText()).containsExactly("open", "closed", "open");
    }
}
