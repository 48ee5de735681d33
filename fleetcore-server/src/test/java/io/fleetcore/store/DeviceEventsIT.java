package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.gateway.Protocols;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolTest;
import io.fleetcore.protocol.teltonika.TeltonikaProtocol;
import io.fleetcore.protocol.teltonika.TeltonikaProtocolDecoder;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The record store writes the device events a record raises into {@code device_events} and {@code events} in the
 * record's transaction, once: a duplicate delivery (the device resends, the broker redelivers) adds nothing.
 */
class DeviceEventsIT extends ProtocolTest {

    static Database db;

    @BeforeAll
    static void start() {
        db = TestServices.newMigratedDatabase("fleetcore.db.user", "postgres");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** The crash vector's record, for a device of its own. */
    DeviceRecord crash(String device) throws Exception {
        DeviceRecord r = new TeltonikaProtocolDecoder().decode(device, binary(TeltonikaVectors.CRASH)).get(0);
        assertThat(r.eventCode()).isEqualTo("247");
        return r;
    }

    static void store(RecordStore store, List<DeviceRecord> records) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.submit(records, done::complete, Duration.ofSeconds(5));
        assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
    }

    static RecordStore newStore() {
        RecordStore store = new RecordStore(db.dataSource(), 100, Duration.ofMillis(2), 1_000);
        store.raiseEvents(new Protocols(List.of(new TeltonikaProtocol(1 << 16))));
        return store;
    }

    static long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @EnumSource(InsertMethod.class)
    void aCrashRecordYieldsOneDeviceEventAndOneEventAlsoWhenDeliveredTwice(InsertMethod method) throws Exception {
        String device = "35630704244" + String.format("%04d", method.ordinal());
        DeviceRecord r = crash(device);
        try (RecordStore store = newStore()) {
            store.useInsertMethod(method);
            store(store, List.of(r));
            store(store, List.of(r)); // resent in a later batch
        }
        try (RecordStore store = newStore()) {
            store.useInsertMethod(method);
            store(store, List.of(r, r)); // and twice in one batch (a redelivery meeting the resend)
        }
        assertThat(count("select count(*) from records where device_uid = '" + device + "'")).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select device_uid, fix_time, content_hash, kind, value, protocol, latitude,"
                    + " longitude, created_at is not null from device_events where device_uid = '" + device + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(device);
                assertThat(rs.getTimestamp(2).toInstant()).hasToString("2026-11-30T10:15:30Z");
                assertThat(rs.getString(3)).isEqualTo(RecordJson.contentHash(r));
                assertThat(rs.getString(4)).isEqualTo("crash");
                assertThat(rs.getLong(5)).isEqualTo(1);
                assertThat(rs.getString(6)).isEqualTo("teltonika");
                assertThat(rs.getDouble(7)).isEqualTo(37.9815116);
                assertThat(rs.getDouble(8)).isEqualTo(23.73152);
                assertThat(rs.getBoolean(9)).isTrue();
                assertThat(rs.next()).as("one device event").isFalse();
            }
            try (ResultSet rs = st.executeQuery("select kind, state, subject, payload::text from events where subject = '" + device + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("device_event");
                assertThat(rs.getString(2)).isEqualTo("crash");
                assertThat(rs.getString(3)).isEqualTo(device);
                JsonNode payload = RecordJson.MAPPER.readTree(rs.getString(4));
                assertThat(payload.get("kind").asText()).isEqualTo("device_event");
                assertThat(payload.get("state").asText()).isEqualTo("crash");
                assertThat(payload.get("subject").asText()).isEqualTo(device);
                assertThat(payload.get("device").asText()).isEqualTo(device);
                assertThat(payload.get("protocol").asText()).isEqualTo("teltonika");
                assertThat(payload.get("event").asText()).isEqualTo("crash");
                assertThat(payload.get("value").asLong()).isEqualTo(1);
                assertThat(payload.get("fix_time").asText()).isEqualTo("2026-11-30T10:15:30Z");
                assertThat(payload.get("content_hash").asText()).isEqualTo(RecordJson.contentHash(r));
                assertThat(payload.get("latitude").asDouble()).isEqualTo(37.9815116);
                assertThat(payload.get("longitude").asDouble()).isEqualTo(23.73152);
                assertThat(payload.size()).isEqualTo(11);
                assertThat(rs.next()).as("one event on the events feed").isFalse();
            }
        }
    }

    @Test
    void recordsThatRaiseNothingWriteNoEventsAndABatchMixesBoth() throws Exception {
        String device = "356307042449901";
        DeviceRecord unplugEnd = new TeltonikaProtocolDecoder().decode(device, binary(TeltonikaVectors.UNPLUG_END)).get(0);
        DeviceRecord v1 = new TeltonikaProtocolDecoder().decode(device, binary(TeltonikaVectors.V1)).get(0);
        DeviceRecord crash = crash(device);
        List<DeviceRecord> batch = new ArrayList<>(List.of(unplugEnd, v1, crash));
        try (RecordStore store = newStore()) {
            store(store, batch);
        }
        assertThat(count("select count(*) from records where device_uid = '" + device + "'")).isEqualTo(3);
        assertThat(count("select count(*) from device_events where device_uid = '" + device + "' and kind = 'crash'")).isEqualTo(1);
        assertThat(count("select count(*) from device_events where device_uid = '" + device + "'")).isEqualTo(1);
        assertThat(count("select count(*) from events where subject = '" + device + "'")).isEqualTo(1);
    }

    @Test
    void aStoreWithoutEventSourceWritesNoEvents() throws Exception {
        String device = "356307042449902";
        try (RecordStore store = new RecordStore(db.dataSource(), 100, Duration.ofMillis(2), 1_000)) {
            store(store, List.of(crash(device)));
        }
        assertThat(count("select count(*) from records where device_uid = '" + device + "'")).isEqualTo(1);
        assertThat(count("select count(*) from device_events where device_uid = '" + device + "'")).isZero();
    }
}
