package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.testing.RunningFleetcore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality route on a live fleetcore: records sent to the JSON gateway are stored whatever they contain,
 * then flagged by the Quartz-driven check (cron every second here), and a device over its threshold gets
 * exactly one alert, POSTed to a local webhook.
 */
class QualityIT {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    static WebhookReceiver webhook;
    static RunningFleetcore fc;

    @BeforeAll
    static void start() throws Exception {
        webhook = new WebhookReceiver();
        fc = RunningFleetcore.start(Map.of(
                "fleetcore.quality.cron", "* * * * * ?",
                "fleetcore.heartbeat.cron", "0/5 * * * * ?",
                "fleetcore.alert.webhook", webhook.url(),
                "fleetcore.feed.poll-delay-ms", "100"));
    }

    @AfterAll
    static void stop() {
        if (fc != null) {
            fc.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    static String packet(String device, String date, String lat, String lon) {
        return "{\"device_number\":\"" + device + "\",\"event_code\":\"4002\",\"message_date\":\"" + date
                + "\",\"latitude\":\"" + lat + "\",\"longitude\":\"" + lon + "\"}";
    }

    static String minutesAgo(int minutes) {
        return DATE.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(minutes));
    }

    List<String> rows(String devicePrefix) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = fc.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select id, device_uid, fix_time, latitude, longitude, event_code, content_hash, received_at from records"
                        + " where device_uid like '" + devicePrefix + "%' order by id")) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 8; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void badRecordsAreStoredUntouchedAndFlaggedOnceEach() throws Exception {
        String[] sent = {
            packet("qa-lat", minutesAgo(1), "120", "23.73"),
            packet("qa-lon", minutesAgo(1), "37.98", "200"),
            packet("qa-zero", minutesAgo(1), "0", "0"),
            packet("qa-future", "2099/01/01 00:00:00", "37.98", "23.73"),
            packet("qa-good", minutesAgo(1), "37.98", "23.73"),
        };
        for (String p : sent) {
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), p, 1, 5000)).as("stored and ACKed: " + p).isEqualTo("1");
        }
        List<String> stored = rows("qa-");
        assertThat(stored).hasSize(5);

        Eventually.within(Duration.ofSeconds(15), "four findings",
                () -> fc.count("select count(*) from quality_findings where device_uid like 'qa-%'") == 4);
        // a few more ticks must not add anything
        long runs = fc.count("select count(*) from check_runs where check_name = 'quality'");
        Eventually.within(Duration.ofSeconds(10), "two more ticks",
                () -> fc.count("select count(*) from check_runs where check_name = 'quality'") >= runs + 2);

        assertThat(fc.count("select count(*) from quality_findings where device_uid like 'qa-%'")).isEqualTo(4);
        assertThat(ruleOf("qa-lat")).isEqualTo("coordinates_out_of_range: latitude 120.0 outside [-90, 90]");
        assertThat(ruleOf("qa-lon")).isEqualTo("coordinates_out_of_range: longitude 200.0 outside [-180, 180]");
        assertThat(ruleOf("qa-zero")).isEqualTo("null_island: position 0/0 with a fix");
        assertThat(ruleOf("qa-future")).startsWith("fix_in_future: fix time 2099-01-01T00:00:00Z is");
        assertThat(fc.count("select count(*) from quality_findings where device_uid = 'qa-good'")).isZero();
        assertThat(rows("qa-")).as("records untouched").isEqualTo(stored);
        assertThat(fc.count("select count(*) from quality_findings f join records r on r.id = f.record_id"
                + " and r.device_uid = f.device_uid and r.fix_time = f.fix_time where f.device_uid like 'qa-%'"))
                .as("findings point at their records").isEqualTo(4);
    }

    String ruleOf(String device) throws Exception {
        try (Connection c = fc.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select rule_code || ': ' || detail from quality_findings where device_uid = '" + device + "'")) {
            assertThat(rs.next()).as("a finding for " + device).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aDeviceOverItsThresholdGetsExactlyOneAlertAndTheWebhookReceivesIt() throws Exception {
        try (Connection c = fc.db(); Statement st = c.createStatement()) {
            st.execute("update quality_rules set threshold = 3 where code = 'position_jump'");
            st.execute("update quality_rules set limit_value = 100 where code = 'position_jump'");
        }
        // a device whose fixes jump 300 km every minute: four jumps, threshold 3
        for (int i = 0; i < 5; i++) {
            String lat = i % 2 == 0 ? "37.98" : "40.64";
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), packet("qa-jumper", minutesAgo(10 - i), lat, "23.0"), 1, 5000))
                    .isEqualTo("1");
        }
        Eventually.within(Duration.ofSeconds(15), "an open alert",
                () -> fc.count("select count(*) from device_alerts where device_uid = 'qa-jumper'") == 1);
        long runs = fc.count("select count(*) from check_runs where check_name = 'quality'");
        Eventually.within(Duration.ofSeconds(10), "two more ticks",
                () -> fc.count("select count(*) from check_runs where check_name = 'quality'") >= runs + 2);
        assertThat(fc.count("select count(*) from device_alerts where device_uid = 'qa-jumper'")).as("one alert, not one per tick").isEqualTo(1);
        assertThat(fc.count("select finding_count from device_alerts where device_uid = 'qa-jumper' and rule_code = 'position_jump'"
                + " and closed_at is null")).isEqualTo(4);

        Eventually.within(Duration.ofSeconds(10), "webhook POST", () -> webhook.about("qa-jumper").size() == 1);
        Thread.sleep(1500); // a duplicate would arrive within the next tick
        assertThat(webhook.about("qa-jumper")).hasSize(1);
        JsonNode alert = webhook.about("qa-jumper").get(0);
        assertThat(alert.path("kind").asText()).isEqualTo("device");
        assertThat(alert.path("state").asText()).isEqualTo("open");
        assertThat(alert.path("rule").asText()).isEqualTo("position_jump");
        assertThat(alert.path("count").asLong()).isEqualTo(4);
        assertThat(fc.server().runtime().metrics().scrape()).contains("fleetcore_alerts_total{kind=\"device\",state=\"open\"} 1.0");
    }
}
