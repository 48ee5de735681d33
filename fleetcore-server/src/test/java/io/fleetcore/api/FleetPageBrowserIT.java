package io.fleetcore.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.HeadlessChromium;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live fleet page as a person sees it, in headless Chromium (which has no internet here, so the page
 * draws its coordinate grid instead of OpenStreetMap tiles): one marker per stored device, coloured by its
 * status, and the metrics panel filled. The screenshot stays in target/fleet-page/.
 */
class FleetPageBrowserIT {

    static final Path OUT = Path.of(TestServices.buildDir(), "fleet-page");
    static final String READ = "page-read-key-0123456789";
    static final String ADMIN = "page-admin-key-0123456789";

    @Test
    void markersAppearForStoredDevicesColouredByStatus() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of(
                "fleetcore.api.keys", "page:" + READ + ":read,ops:" + ADMIN + ":admin",
                "fleetcore.quality.cron", "0 0 0 1 1 ? 2099"))) {
            String frames = ApiIT.frame("page-reporting", "2024/05/01 10:00:00", "37.98", "23.73")
                    + ApiIT.frame("page-alert", "2024/05/01 10:00:00", "40.64", "22.94")
                    + ApiIT.frame("page-disabled", "2024/05/01 10:00:00", "35.34", "25.13");
            assertThat(RunningFleetcore.exchange(fc.jsonPort(), frames, 3, 5000)).isEqualTo("111");
            try (Connection c = fc.db(); Statement st = c.createStatement()) {
                st.execute("insert into device_alerts (device_uid, rule_code, finding_count) values ('page-alert', 'speed_too_high', 11)");
                // a device last heard of an hour ago
                st.execute("insert into devices (device_uid, protocol) values ('page-silent', 'json')");
                st.execute("insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol, received_at)"
                        + " values ('page-silent', now() - interval '1 hour', 'h1', 39.36, 22.94, 'json', now() - interval '1 hour')");
            }
            ApiClient api = new ApiClient(fc.apiUrl());
            assertThat(api.send("PATCH", "/api/v1/devices/page-disabled", ADMIN, "application/json", "{\"enabled\":false}").status())
                    .isEqualTo(200);

            try (HeadlessChromium browser = HeadlessChromium.start(
                    Path.of(TestServices.buildDir(), TestServices.unique("chromium-profile")), 1280, 800)) {
                browser.navigate(fc.apiUrl() + "/#key=" + READ + "&refresh=1000");
                boolean shown = browser.waitFor("window.fleetMarkers && Object.keys(window.fleetMarkers).length === 4"
                        + " && document.body.dataset.loaded === 'true'", Duration.ofSeconds(60));
                // the ingest rate needs two samples
                browser.waitFor("document.getElementById('ingest-rate').textContent.includes('records/s')", Duration.ofSeconds(10));
                browser.screenshot(OUT.resolve("fleet-page.png"));
                assertThat(shown).as("markers on the page; it shows:\n" + browser.text()).isTrue();

                assertThat(browser.evaluate("Object.keys(window.fleetMarkers).sort().join(',')"))
                        .isEqualTo("page-alert,page-disabled,page-reporting,page-silent");
                assertThat(browser.evaluate("window.fleetMarkers['page-reporting'].status")).isEqualTo("reporting");
                assertThat(browser.evaluate("window.fleetMarkers['page-alert'].status")).isEqualTo("alert");
                assertThat(browser.evaluate("window.fleetMarkers['page-disabled'].status")).isEqualTo("disabled");
                assertThat(browser.evaluate("window.fleetMarkers['page-silent'].status")).isEqualTo("silent");
                assertThat(browser.evaluate("window.fleetMarkers['page-alert'].options.color")).isEqualTo("#d32f2f");
                assertThat(browser.evaluate("window.fleetMarkers['page-reporting'].getLatLng().lat")).isEqualTo("37.98");
                // drawn: an SVG path per marker on the map
                assertThat(browser.evaluate("document.querySelectorAll('#map path.leaflet-interactive').length")).isEqualTo("4");
                assertThat(browser.evaluate("document.getElementById('base-map').textContent")).isEqualTo("coordinate grid");
                assertThat(browser.evaluate("document.getElementById('status-counts').textContent")).isEqualTo("1 / 1 / 1 / 1");
                assertThat(browser.evaluate("document.getElementById('ack-p99').textContent")).endsWith(" ms");
                assertThat(browser.evaluate("document.getElementById('parked').textContent")).isEqualTo("0");
                assertThat(browser.evaluate("document.getElementById('dead-lettered').textContent")).isEqualTo("0");
                assertThat(browser.evaluate("document.getElementById('error').textContent")).isEmpty();
            }
            assertThat(Files.size(OUT.resolve("fleet-page.png"))).isGreaterThan(10_000);
        }
    }

    @Test
    void withoutAKeyThePageAsksForOne() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.api.keys", "page:" + READ + ":read"));
             HeadlessChromium browser = HeadlessChromium.start(
                     Path.of(TestServices.buildDir(), TestServices.unique("chromium-profile")), 1280, 800)) {
            browser.navigate(fc.apiUrl() + "/");
            boolean asked = browser.waitFor("!document.getElementById('key-form').hidden", Duration.ofSeconds(30));
            browser.screenshot(OUT.resolve("fleet-page-no-key.png"));
            assertThat(asked).isTrue();
            assertThat(browser.evaluate("document.getElementById('error').textContent")).contains("401");
        }
    }
}
