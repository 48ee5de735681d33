package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.sim.SimRecords;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every insert method writes the same rows, idempotently, on the real PostgreSQL schema. */
class InsertMethodIT {

    static Database db;

    @BeforeAll
    static void start() {
        db = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", TestServices.newDatabase(),
                "fleetcore.db.user", "postgres")));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @ParameterizedTest
    @EnumSource(InsertMethod.class)
    void writesEveryValueOnceAndIgnoresRetransmits(InsertMethod method) throws Exception {
        String device = "im-" + method.name().toLowerCase();
        SimRecords sim = new SimRecords(device, 42, Instant.parse("2026-01-01T00:00:00Z"));
        List<DeviceRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(sim.nextDeviceRecord());
        }
        // optional values absent and text that needs quoting/escaping
        records.add(new DeviceRecord(device, Instant.parse("2026-02-01T00:00:00.123456Z"), -33.5, 151.25, null, null,
                null, null, null, null, "json", Map.of(), Map.of("note", "a \"quoted\", back\\slash\nline")));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThat(method.insert(c, records.stream().map(StoredRow::of).toList())).isEqualTo(301);
            c.commit();
            assertThat(method.insert(c, records.subList(250, 301).stream().map(StoredRow::of).toList())).as("retransmit").isZero();
            c.commit();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*), count(distinct fix_time), sum((obd->>'rpm')::int)"
                         + " from records where device_uid = '" + device + "' and protocol = 'teltonika'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(300);
                assertThat(rs.getLong(2)).isEqualTo(300);
                long rpm = records.subList(0, 300).stream().mapToLong(r -> ((Number) r.obd().get("rpm")).longValue()).sum();
                assertThat(rs.getLong(3)).isEqualTo(rpm);
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select fix_time, latitude, longitude, altitude, angle, event_code,"
                         + " io->>'note', content_hash from records where device_uid = '" + device + "' and protocol = 'json'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).hasToString("2026-02-01T00:00:00.123456Z");
                assertThat(rs.getDouble(2)).isEqualTo(-33.5);
                assertThat(rs.getDouble(3)).isEqualTo(151.25);
                assertThat(rs.getObject(4)).isNull();
                assertThat(rs.getObject(5)).isNull();
                assertThat(rs.getString(6)).isNull();
                assertThat(rs.getString(7)).isEqualTo("a \"quoted\", back\\slash\nline");
                assertThat(rs.getString(8)).isEqualTo(RecordJson.contentHash(records.get(300)));
                assertThat(rs.next()).isFalse();
            }
            c.commit();
        }
    }
}
