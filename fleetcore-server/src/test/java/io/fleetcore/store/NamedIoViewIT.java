package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolTest;
import io.fleetcore.protocol.gt06.Gt06Io;
import io.fleetcore.protocol.teltonika.TeltonikaIo;
import io.fleetcore.protocol.teltonika.TeltonikaProtocolDecoder;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.testing.TestServices;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The view names a stored record's raw {@code io} exactly as {@link TeltonikaIo} does: the same table
 * ({@code api.io_names} = {@code TeltonikaIo.TABLE}) and the same scaling, for every id and raw values of every width.
 */
class NamedIoViewIT extends ProtocolTest {

    static Database db;

    @BeforeAll
    static void start() {
        db = TestServices.newMigratedDatabase("fleetcore.db.user", "postgres");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void theViewsTableIsTheProtocolsTable() throws Exception {
        List<String> sql = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select protocol, io_id, key, scale, unit, event from api.io_names"
                     + " where protocol = 'teltonika' order by io_id::int")) {
            while (rs.next()) {
                sql.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " '"
                        + rs.getString(5) + "' " + rs.getBoolean(6));
            }
        }
        assertThat(sql).containsExactlyElementsOf(TeltonikaIo.TABLE.stream()
                .map(p -> "teltonika " + p.id() + " " + p.key() + " " + p.scale() + " '" + p.unit() + "' " + p.event()).toList());
    }

    @Test
    void gt06sCanonicalKeysAreNamedAsInJava() throws Exception {
        List<String> sql = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select io_id, key, scale from api.io_names where protocol = 'gt06'")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo(rs.getString(2));
                assertThat(rs.getString(3)).isEqualTo("AS_SENT");
                sql.add(rs.getString(2));
            }
        }
        assertThat(sql).containsExactlyInAnyOrderElementsOf(Gt06Io.NAMED);
        Map<String, Object> io = new LinkedHashMap<>();
        io.put("ignition", true);
        io.put("charging", false);
        io.put("gsm_signal", 4);
        io.put("external_voltage_v", new java.math.BigDecimal("12.50"));
        io.put("mcc", 246);
        io.put("mnc", 2);
        io.put("lac", 4000);
        io.put("cell_id", 30481);
        io.put("gnss_fixed", true);
        io.put("terminal_info", 70);
        io.put("alarm_code", 0);
        io.put("voltage_level", 6);
        io.put("armed", false);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select api.io_named('gt06', ?::jsonb)::text")) {
            ps.setString(1, RecordJson.toJson(io));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode named = RecordJson.MAPPER.readTree(rs.getString(1));
                assertSame(named, RecordJson.MAPPER.valueToTree(Gt06Io.name(io)), "gt06");
                assertThat(named.size()).as("the protocol's own keys are left out").isEqualTo(9);
                assertThat(named.get("external_voltage_v").decimalValue()).isEqualByComparingTo("12.5");
            }
        }
    }

    @Test
    void everyIdAndWidthIsNamedAsInJava() throws Exception {
        List<Object> raws = List.of(0L, 1L, 255L, 4250L, 65506L, 4294967291L, -1L, -4250L);
        List<Object> wide = List.of(1311768467463790320L, new BigInteger("18446744073709551615"));
        int compared = 0;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select api.io_named('teltonika', ?::jsonb)::text")) {
            for (TeltonikaIo.Param p : TeltonikaIo.TABLE) {
                List<Object> values = new ArrayList<>(raws);
                if (p.scale() == TeltonikaIo.Scale.COUNT || p.scale() == TeltonikaIo.Scale.HEX_8) {
                    values.addAll(wide);
                }
                for (Object raw : values) {
                    Map<String, Object> io = new LinkedHashMap<>();
                    io.put(Integer.toString(p.id()), raw);
                    io.put("9999", 7L); // not named
                    io.put("256", "0A0B"); // a variable-length value: never named
                    ps.setString(1, RecordJson.toJson(io));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertSame(RecordJson.MAPPER.readTree(rs.getString(1)),
                                RecordJson.MAPPER.valueToTree(TeltonikaIo.name(io)), p.id() + "=" + raw);
                        compared++;
                    }
                }
            }
            ps.setString(1, "{\"239\": \"01\", \"66\": 1.5}");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).as("a string or a fraction is no raw IO value").isEqualTo("{}");
            }
        }
        long wideIds = TeltonikaIo.TABLE.stream()
                .filter(p -> p.scale() == TeltonikaIo.Scale.COUNT || p.scale() == TeltonikaIo.Scale.HEX_8).count();
        assertThat(wideIds).isEqualTo(21);
        assertThat(compared).isEqualTo(43 * 8 + 2 * 21);
    }

    /** Same keys, same values; numbers compared by value (24.079 = 24.0790). */
    static void assertSame(JsonNode sql, JsonNode java, String what) {
        assertThat(sql.size()).as(what).isEqualTo(java.size()).isPositive();
        for (Iterator<String> it = java.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode s = sql.get(key);
            JsonNode j = java.get(key);
            assertThat(s).as(what + " " + key).isNotNull();
            if (j.isNumber()) {
                assertThat(s.isNumber()).as(what + " " + key).isTrue();
                assertThat(s.decimalValue().compareTo(j.decimalValue())).as(what + " " + key + ": " + s + " vs " + j).isZero();
            } else {
                assertThat(s).as(what + " " + key).isEqualTo(j);
            }
        }
    }

    @Test
    void positionsShowTheNamedValuesOfAStoredRecord() throws Exception {
        String device = "356307042449903";
        DeviceRecord r = new TeltonikaProtocolDecoder().decode(device, binary(TeltonikaVectors.V1)).get(0);
        try (RecordStore store = new RecordStore(db.dataSource(), 10, Duration.ofMillis(2), 100)) {
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            store.submit(List.of(r), done::complete, Duration.ofSeconds(5));
            assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String view : List.of("api.positions", "api.latest_positions")) {
                try (ResultSet rs = st.executeQuery("select io_named::text, io::text, io_external_voltage_v from " + view
                        + " where device_id = '" + device + "'")) {
                    assertThat(rs.next()).isTrue();
                    JsonNode named = RecordJson.MAPPER.readTree(rs.getString(1));
                    assertThat(named.size()).as(view).isEqualTo(5);
                    assertThat(named.get("gsm_signal").asLong()).isEqualTo(3);
                    assertThat(named.get("digital_input_1").asBoolean()).isTrue();
                    assertThat(named.get("external_voltage_v").decimalValue()).isEqualByComparingTo("24.079");
                    assertThat(named.get("gsm_operator").asLong()).isEqualTo(24602);
                    assertThat(named.get("ibutton").asText()).isEqualTo("0000000000000000");
                    assertThat(RecordJson.MAPPER.readTree(rs.getString(2))).as("raw io as it was")
                            .isEqualTo(RecordJson.MAPPER.readTree("{\"1\":1,\"21\":3,\"66\":24079,\"78\":0,\"241\":24602}"));
                    assertThat(rs.getDouble(3)).as("the columns of version 1 stay").isEqualTo(24.079);
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }
}
