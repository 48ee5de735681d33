package io.fleetcore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.testing.RunningFleetcore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read API against the real PostgreSQL, through the real route files: every endpoint, its key checks and
 * its refusals of bad input (a problem document, never a stack trace).
 */
class ApiIT {

    static final String READ = "read-key-0123456789abcdef";
    static final String ADMIN = "admin-key-0123456789abcdef";
    static RunningFleetcore fc;
    static ApiClient api;

    static String frame(String device, String date, String lat, String lon) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"" + date
                + "\",\"latitude\":\"" + lat + "\",\"longitude\":\"" + lon + "\"}";
    }

    @BeforeAll
    static void start() throws Exception {
        // the quality check would close the alerts this test opens by hand: it does not run here
        fc = RunningFleetcore.start(Map.of("fleetcore.api.keys", "reader:" + READ + ":read,ops:" + ADMIN + ":admin",
                "fleetcore.quality.cron", "0 0 0 1 1 ? 2099"));
        api = new ApiClient(fc.apiUrl());
        String three = frame("api-dev-1", "2024/05/01 10:00:00", "37.9", "23.7")
                + frame("api-dev-1", "2024/05/01 10:01:00", "37.91", "23.71")
                + frame("api-dev-1", "2024/05/01 10:02:00", "37.92", "23.72");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), three, 3, 5000)).isEqualTo("111");
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-dev-2", "2024/05/02 08:00:00", "40.0", "22.0"), 1, 5000)).isEqualTo("1");
        // a frame the json gateway refuses: kept in rejected_frames, answered 0
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-dev-2", "2024/05/02 08:00:00", "north", "22.0"), 1, 5000)).isEqualTo("0");
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into device_alerts (device_uid, rule_code, finding_count) values ('api-dev-2', 'speed_too_high', 12)");
            st.execute("insert into device_alerts (device_uid, rule_code, finding_count, closed_at) values ('api-dev-2', 'null_island', 6, now())");
        }
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
    }

    static void assertProblem(ApiClient.Response r, int status, String detailContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).startsWith("/api/v1/problems/");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains(detailContains);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- auth

    @Test
    void withoutAValidKeyEveryEndpointAnswers401() throws Exception {
        for (String path : List.of("/api/v1/devices", "/api/v1/devices/api-dev-1", "/api/v1/devices/api-dev-1/positions",
                "/api/v1/positions/latest", "/api/v1/devices/api-dev-1/alerts", "/api/v1/rejected-frames", "/api/v1/metrics/summary")) {
            assertProblem(api.get(path, null), 401, "X-API-Key");
            assertProblem(api.get(path, "not-a-key-0123456789"), 401, "not valid");
        }
        assertProblem(api.send("POST", "/api/v1/devices", null, "application/json", "{\"device_id\":\"x\"}"), 401, "X-API-Key");
    }

    @Test
    void aReadKeyMayNotWrite() throws Exception {
        assertProblem(api.send("POST", "/api/v1/devices", READ, "application/json", "{\"device_id\":\"api-never\"}"), 403, "admin");
        assertProblem(api.send("PATCH", "/api/v1/devices/api-dev-1", READ, "application/json", "{\"enabled\":false}"), 403, "admin");
        assertProblem(api.send("POST", "/api/v1/devices/import", READ, "text/csv", "device_id\napi-never\n"), 403, "admin");
        assertThat(fc.count("select count(*) from devices where device_uid = 'api-never'")).isZero();
        assertThat(api.get("/api/v1/devices/api-dev-1", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void theKeyIsNotEchoedInTheResponse() throws Exception {
        ApiClient.Response r = api.get("/api/v1/devices", READ);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(READ);
    }

    // ---- devices

    @Test
    void devicesListsEveryDeviceWithItsStatusPagedByCursor() throws Exception {
        JsonNode all = api.get("/api/v1/devices", READ).json();
        List<String> ids = new ArrayList<>();
        all.get("items").forEach(d -> ids.add(d.get("device_id").asText()));
        assertThat(ids).contains("api-dev-1", "api-dev-2");
        JsonNode dev2 = null;
        for (JsonNode d : all.get("items")) {
            if (d.get("device_id").asText().equals("api-dev-2")) {
                dev2 = d;
            }
        }
        assertThat(dev2.get("protocol").asText()).isEqualTo("json");
        assertThat(dev2.get("open_alerts").asInt()).isEqualTo(1);
        assertThat(dev2.get("rejected_frames_24h").asInt()).isEqualTo(1);
        assertThat(dev2.get("status").asText()).isEqualTo("alert");
        assertThat(dev2.get("last_fix_time").asText()).startsWith("2024-05-02T08:00:00");
        assertThat(dev2.get("last_latitude").asDouble()).isEqualTo(40.0);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 50; i++) {
            JsonNode page = api.get("/api/v1/devices?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), READ).json();
            page.get("items").forEach(d -> paged.add(d.get("device_id").asText()));
            if (page.get("next").isNull()) {
                break;
            }
            cursor = page.get("next").asText();
        }
        assertThat(paged).isEqualTo(ids);
    }

    @Test
    void oneDeviceOrNotFound() throws Exception {
        JsonNode d = api.get("/api/v1/devices/api-dev-1", READ).json();
        assertThat(d.get("device_id").asText()).isEqualTo("api-dev-1");
        assertThat(d.get("enabled").asBoolean()).isTrue();
        assertThat(d.get("last_fix_time").asText()).startsWith("2024-05-01T10:02:00");
        assertProblem(api.get("/api/v1/devices/no-such-device", READ), 404, "no-such-device");
        assertProblem(api.get("/api/v1/devices/" + URLEncoder.encode("bad id'", StandardCharsets.UTF_8), READ), 400, "device id");
    }

    // ---- positions

    @Test
    void positionsWithinTheRangeInFixTimeOrderPagedByCursor() throws Exception {
        String range = "from=2024-05-01T00:00:00Z&to=2024-05-02T00:00:00Z";
        JsonNode all = api.get("/api/v1/devices/api-dev-1/positions?" + range, READ).json();
        assertThat(all.get("items")).hasSize(3);
        assertThat(all.get("next").isNull()).isTrue();
        JsonNode first = all.get("items").get(0);
        assertThat(first.get("fix_time").asText()).startsWith("2024-05-01T10:00:00");
        assertThat(first.get("latitude").asDouble()).isEqualTo(37.9);
        assertThat(first.get("longitude").asDouble()).isEqualTo(23.7);
        assertThat(first.get("event_code").asText()).isEqualTo("4002");
        assertThat(first.get("protocol").asText()).isEqualTo("json");
        assertThat(first.has("obd_rpm")).isTrue();

        List<String> times = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 5; i++) {
            JsonNode page = api.get("/api/v1/devices/api-dev-1/positions?" + range + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), READ).json();
            page.get("items").forEach(p -> times.add(p.get("fix_time").asText().substring(0, 19)));
            if (page.get("next").isNull()) {
                break;
            }
            cursor = page.get("next").asText();
        }
        assertThat(times).containsExactly("2024-05-01T10:00:00", "2024-05-01T10:01:00", "2024-05-01T10:02:00");

        JsonNode narrow = api.get("/api/v1/devices/api-dev-1/positions?from=2024-05-01T10:01:00Z&to=2024-05-01T10:02:00Z", READ).json();
        assertThat(narrow.get("items")).hasSize(1);
        assertThat(narrow.get("items").get(0).get("latitude").asDouble()).isEqualTo(37.91);
        // with an offset instead of Z
        JsonNode offset = api.get("/api/v1/devices/api-dev-1/positions?from=2024-05-01T12:01:00%2B02:00&to=2024-05-01T12:02:00%2B02:00", READ).json();
        assertThat(offset.get("items")).hasSize(1);
    }

    @Test
    void positionsRefuseBadParameters() throws Exception {
        String p = "/api/v1/devices/api-dev-1/positions?";
        assertProblem(api.get(p + "from=yesterday", READ), 400, "from must be an ISO-8601");
        assertProblem(api.get(p + "to=2024-13-01T00:00:00Z", READ), 400, "to must be an ISO-8601");
        assertProblem(api.get(p + "from=2024-05-01T00:00:00", READ), 400, "from must be an ISO-8601");
        assertProblem(api.get(p + "from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z", READ), 400, "from must be earlier than to");
        assertProblem(api.get(p + "from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z", READ), 400, "longer than the maximum");
        assertProblem(api.get(p + "limit=0", READ), 400, "limit must be");
        assertProblem(api.get(p + "limit=10001", READ), 400, "limit must be a whole number from 1 to 10000");
        assertProblem(api.get(p + "limit=ten", READ), 400, "limit must be");
        assertProblem(api.get(p + "cursor=%25%25", READ), 400, "cursor");
        assertProblem(api.get(p + "cursor=bm90LWEtY3Vyc29y", READ), 400, "cursor");
        assertThat(api.get(p + "limit=10000", READ).status()).isEqualTo(200);
    }

    @Test
    void latestPositionsHasTheNewestFixOfEveryDevice() throws Exception {
        JsonNode page = api.get("/api/v1/positions/latest", READ).json();
        Map<String, JsonNode> byDevice = new java.util.HashMap<>();
        page.get("items").forEach(p -> byDevice.put(p.get("device_id").asText(), p));
        assertThat(byDevice.get("api-dev-1").get("fix_time").asText()).startsWith("2024-05-01T10:02:00");
        assertThat(byDevice.get("api-dev-1").get("latitude").asDouble()).isEqualTo(37.92);
        assertThat(byDevice.get("api-dev-2").get("fix_time").asText()).startsWith("2024-05-02T08:00:00");
        assertProblem(api.get("/api/v1/positions/latest?limit=-1", READ), 400, "limit");
        assertProblem(api.get("/api/v1/positions/latest?cursor=" + ApiParameters.encodeCursor("bad id'"), READ), 400, "cursor");
    }

    /**
     * A page names each row's IO in Java (step name-io), not by the views' SQL function: its items are byte for
     * byte what to_json of the view's rows gives, io_named included (jsonb key order, decimal scales, wide and
     * negative values, fractions and strings left out, GT06's canonical keys as stored), on both position endpoints.
     */
    @Test
    void positionPagesAreByteForByteTheViewsRowsWithTheirNamedIo() throws Exception {
        String[] ios = {
            "{\"1\": 1, \"9\": 4250, \"16\": 22949000, \"17\": 65506, \"21\": 4, \"66\": 24079, \"72\": 4294967291,"
                    + " \"78\": 18446744073709551615, \"239\": 1, \"240\": 0, \"256\": \"0A0B\", \"9999\": 7}",
            "{\"66\": 1.5, \"67\": 4012.0, \"68\": -150, \"78\": -1, \"181\": 12, \"182\": \"8\"}",
            "{\"ignition\": true, \"gsm_signal\": 4, \"external_voltage_v\": 12.50, \"terminal_info\": 70, \"mcc\": 246,"
                    + " \"gnss_fixed\": false, \"alarm_code\": 0}"};
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("insert into devices (device_uid, protocol) values ('api-io-1', 'teltonika'), ('api-io-2', 'teltonika'),"
                    + " ('api-io-3', 'gt06') on conflict do nothing");
            for (int i = 0; i < 3; i++) {
                st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol, io) values"
                        + " ('api-io-" + (i + 1) + "', '2024-06-01T10:00:0" + i + "Z', 'h" + i + "', 54.1, 25.2, '"
                        + (i == 2 ? "gt06" : "teltonika") + "', '" + ios[i] + "')");
            }
            st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol, io) values"
                    + " ('api-io-1', '2024-06-01T09:00:00Z', 'h9', 54.0, 25.1, 'teltonika', '" + ios[1] + "')");
        }
        String latest = api.get("/api/v1/positions/latest?limit=10000", READ).body();
        String history = api.get("/api/v1/devices/api-io-1/positions?from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z", READ).body();
        int named = 0;
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            for (String sql : List.of("select to_json(p)::text, p.io_named::text from api.latest_positions p where device_id like 'api-io-%'",
                    "select to_json(p)::text, p.io_named::text from api.positions p where device_id = 'api-io-1'")) {
                try (var rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        assertThat(sql.contains("latest") ? latest : history).as(sql).contains(rs.getString(1));
                        named += rs.getString(2).length() > 2 ? 1 : 0;
                    }
                }
            }
        }
        assertThat(named).as("rows with named values compared").isEqualTo(5);
        assertThat(latest).as("GT06: its canonical keys as stored, its own keys left out").contains("\"io_named\":{\"mcc\": 246,"
                + " \"ignition\": true, \"gnss_fixed\": false, \"gsm_signal\": 4, \"external_voltage_v\": 12.50}");
        assertThat(latest).contains("\"io_named\":{\"ibutton\": \"FFFFFFFFFFFFFFFF\", \"ignition\": true, \"movement\": false,"
                + " \"axis_x_mg\": -30, \"gsm_signal\": 4");
        assertThat(latest).contains("\"external_voltage_v\": 24.079").contains("\"analog_input_1_v\": 4.250")
                .contains("\"dallas_temp_1_c\": -0.5").contains("\"ibutton\": \"FFFFFFFFFFFFFFFF\"");
    }

    // ---- alerts and rejected frames

    @Test
    void alertsOfADeviceNewestFirst() throws Exception {
        JsonNode page = api.get("/api/v1/devices/api-dev-2/alerts", READ).json();
        assertThat(page.get("items")).hasSize(2);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("rule_code").asText()).isEqualTo("null_island");
        assertThat(newest.get("open").asBoolean()).isFalse();
        JsonNode older = page.get("items").get(1);
        assertThat(older.get("rule_code").asText()).isEqualTo("speed_too_high");
        assertThat(older.get("open").asBoolean()).isTrue();
        assertThat(older.get("finding_count").asInt()).isEqualTo(12);
        assertThat(older.get("rule_description").asText()).contains("speed");
        assertThat(api.get("/api/v1/devices/api-dev-1/alerts", READ).json().get("items")).isEmpty();
        assertProblem(api.get("/api/v1/devices/api-dev-2/alerts?limit=20000", READ), 400, "limit");
    }

    @Test
    void rejectedFramesOfOneDeviceOrAll() throws Exception {
        JsonNode mine = api.get("/api/v1/rejected-frames?device=api-dev-2", READ).json();
        assertThat(mine.get("items")).hasSize(1);
        JsonNode f = mine.get("items").get(0);
        assertThat(f.get("protocol").asText()).isEqualTo("json");
        assertThat(f.get("reason").asText()).isNotBlank();
        assertThat(f.get("frame_hex").asText()).isNotBlank();
        assertThat(api.get("/api/v1/rejected-frames?device=api-dev-1", READ).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/rejected-frames", READ).json().get("items").size()).isGreaterThanOrEqualTo(1);
        assertProblem(api.get("/api/v1/rejected-frames?device=" + URLEncoder.encode("a b", StandardCharsets.UTF_8), READ), 400, "device");
    }

    // ---- device management

    @Test
    void registerADeviceOnceThen409() throws Exception {
        ApiClient.Response created = api.send("POST", "/api/v1/devices", ADMIN, "application/json",
                "{\"device_id\":\"api-new-1\",\"protocol\":\"teltonika\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("device_id").asText()).isEqualTo("api-new-1");
        assertThat(created.json().get("protocol").asText()).isEqualTo("teltonika");
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().get("status").asText()).isEqualTo("silent");
        assertProblem(api.send("POST", "/api/v1/devices", ADMIN, "application/json", "{\"device_id\":\"api-new-1\"}"), 409, "already registered");
        ApiClient.Response noProtocol = api.send("POST", "/api/v1/devices", ADMIN, "application/json", "{\"device_id\":\"api-new-2\",\"enabled\":false}");
        assertThat(noProtocol.status()).as(noProtocol.body()).isEqualTo(201);
        assertThat(noProtocol.json().get("protocol").isNull()).isTrue();
        assertThat(noProtocol.json().get("status").asText()).isEqualTo("disabled");
    }

    @Test
    void registerRefusesBadBodies() throws Exception {
        String p = "/api/v1/devices";
        assertProblem(api.send("POST", p, ADMIN, "application/json", "not json"), 400, "not valid JSON");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "[1]"), 400, "JSON object");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "{}"), 400, "device_id is required");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "{\"device_id\":\"x\",\"colour\":\"red\"}"), 400, "unknown field 'colour'");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "{\"device_id\":\"x y\"}"), 400, "device_id must be");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "{\"device_id\":\"x\",\"enabled\":\"no\"}"), 400, "enabled must be true or false");
        assertProblem(api.send("POST", p, ADMIN, "application/json", "{\"device_id\":\"x\",\"protocol\":\"GT 06\"}"), 400, "protocol must be");
        assertThat(fc.count("select count(*) from devices where device_uid = 'x'")).isZero();
    }

    @Test
    void patchRefusesBadBodiesAndUnknownDevices() throws Exception {
        assertProblem(api.send("PATCH", "/api/v1/devices/api-dev-1", ADMIN, "application/json", "{\"enabled\":\"false\"}"), 400, "enabled must be true or false");
        assertProblem(api.send("PATCH", "/api/v1/devices/api-dev-1", ADMIN, "application/json", "{\"protocol\":\"x\"}"), 400, "unknown field");
        assertProblem(api.send("PATCH", "/api/v1/devices/api-dev-1", ADMIN, "application/json", "{}"), 400, "enabled is required");
        assertProblem(api.send("PATCH", "/api/v1/devices/no-such-device", ADMIN, "application/json", "{\"enabled\":false}"), 404, "no-such-device");
    }

    @Test
    void aDisabledJsonDeviceIsRefusedFromItsNextFrameAndAcceptedAgainWhenEnabled() throws Exception {
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-dev-3", "2024/05/03 09:00:00", "38.0", "23.0"), 1, 5000)).isEqualTo("1");
        ApiClient.Response off = api.send("PATCH", "/api/v1/devices/api-dev-3", ADMIN, "application/json", "{\"enabled\":false}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().get("enabled").asBoolean()).isFalse();
        assertThat(off.json().get("status").asText()).isEqualTo("disabled");

        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-dev-3", "2024/05/03 09:01:00", "38.1", "23.1"), 1, 5000)).isEqualTo("0");
        assertThat(fc.count("select count(*) from records where device_uid = 'api-dev-3'")).isEqualTo(1);
        assertThat(fc.count("select count(*) from rejected_frames where device_uid = 'api-dev-3' and reason = 'device-disabled'")).isEqualTo(1);

        ApiClient.Response on = api.send("PATCH", "/api/v1/devices/api-dev-3", ADMIN, "application/json", "{\"enabled\":true}");
        assertThat(on.json().get("enabled").asBoolean()).isTrue();
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-dev-3", "2024/05/03 09:01:00", "38.1", "23.1"), 1, 5000)).isEqualTo("1");
        assertThat(fc.count("select count(*) from records where device_uid = 'api-dev-3'")).isEqualTo(2);
    }

    @Test
    void importRegistersDevicesFromCsvAndLeavesExistingOnes() throws Exception {
        String csv = "device_id,protocol,enabled\r\napi-imp-1,teltonika,true\r\napi-imp-2,json,false\r\napi-dev-1,json,false\r\n";
        ApiClient.Response r = api.send("POST", "/api/v1/devices/import", ADMIN, "text/csv", csv);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("rows").asInt()).isEqualTo(3);
        assertThat(r.json().get("created").asInt()).isEqualTo(2);
        assertThat(fc.count("select count(*) from devices where device_uid = 'api-imp-2' and protocol = 'json' and not enabled")).isEqualTo(1);
        assertThat(fc.count("select count(*) from devices where device_uid = 'api-dev-1' and enabled")).isEqualTo(1);
        // imported disabled: refused by the json gateway at once
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), frame("api-imp-2", "2024/05/03 09:00:00", "38.0", "23.0"), 1, 5000)).isEqualTo("0");
        // only ids work too
        ApiClient.Response ids = api.send("POST", "/api/v1/devices/import", ADMIN, "text/csv", "device_id\napi-imp-3\n\napi-imp-4\n");
        assertThat(ids.json().get("created").asInt()).isEqualTo(2);
    }

    @Test
    void importRefusesABadFileWholeNamingTheLine() throws Exception {
        String p = "/api/v1/devices/import";
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "id,protocol\nx,json\n"), 400, "line 1 must be the header");
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "device_id,protocol\napi-bad-1,json\napi bad,json\n"), 400, "line 3: device_id must be");
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "device_id,protocol\napi-bad-2\n"), 400, "line 2: expected 2 values");
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "device_id,protocol,enabled\napi-bad-3,json,maybe\n"), 400, "line 2: enabled");
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "device_id\napi-bad-4\napi-bad-4\n"), 400, "appears twice");
        assertProblem(api.send("POST", p, ADMIN, "text/csv", "device_id\n"), 400, "no device");
        assertThat(fc.count("select count(*) from devices where device_uid like 'api-bad-%'")).isZero();
    }

    // ---- documents

    @Test
    void openApiDocumentListsTheEndpoints() throws Exception {
        ApiClient.Response r = api.get("/api/v1/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = r.json().get("paths");
        assertThat(paths.has("/api/v1/devices")).as(r.body()).isTrue();
        assertThat(paths.has("/api/v1/devices/{id}/positions")).isTrue();
        assertThat(paths.has("/api/v1/positions/latest")).isTrue();
        assertThat(paths.has("/api/v1/rejected-frames")).isTrue();
        assertThat(paths.has("/api/v1/devices/import")).isTrue();
        assertThat(paths.get("/api/v1/devices/{id}").has("patch")).isTrue();
        ApiClient.Response page = api.get("/api", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("openapi.json").contains("X-API-Key");
    }

    @Test
    void metricsSummaryCountsWhatWasStored() throws Exception {
        JsonNode s = api.get("/api/v1/metrics/summary", READ).json();
        assertThat(s.get("records_stored_total").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(s.get("records_received_total").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(s.get("records_parked_total").asLong()).isZero();
        assertThat(s.get("ack_p99_ms").asDouble()).isPositive();
    }

    @Test
    void thePageAndLeafletAreServedButNothingElseOfTheClasspathOrDisk() throws Exception {
        assertThat(api.get("/", null).body()).contains("leaflet.js").contains("fleet.js");
        assertThat(api.get("/fleet/fleet.js", null).status()).isEqualTo(200);
        assertThat(api.get("/webjars/leaflet/1.9.4/dist/leaflet.js", null).body()).contains("Leaflet");
        assertThat(api.get("/application.properties", null).status()).isEqualTo(404);
        assertThat(api.get("/fleet/../application.properties", null).status()).isIn(400, 404);
        assertThat(api.get("/webjars/leaflet/../../../application.properties", null).status()).isIn(400, 404);
        assertThat(api.get("/fleet/%2e%2e/%2e%2e/%2e%2e/%2e%2e/application.properties", null).status()).isIn(400, 404);
        assertThat(api.get("/pom.xml", null).status()).isEqualTo(404);
    }
}
