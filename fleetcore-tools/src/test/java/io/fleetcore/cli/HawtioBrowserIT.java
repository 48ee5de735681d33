package io.fleetcore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.HeadlessChromium;
import io.fleetcore.testing.JarProcess;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's view: {@code java -jar target/fleetcore-tools.jar hawtio} (a child process) connected to a running
 * fleetcore, opened in headless Chromium. The console must list the route ids of {@code routes/}, draw the
 * json gateway's diagram and show its source. Screenshots stay in target/hawtio/ as build artifacts.
 */
class HawtioBrowserIT {

    static final Path OUT = Path.of(TestServices.buildDir(), "hawtio");
    static final String PACKET = "{\"device_number\":\"hawtio-dev\",\"event_code\":\"4002\","
            + "\"message_date\":\"2020/02/05 12:18:2%d\",\"latitude\":\"37.9815116\",\"longitude\":\"23.7315200\"}";

    /**
     * Route ids declared in the route files of the default topology (routes/ and routes/shared/): routes and the
     * gateways' instances of the route template.
     */
    static List<String> routeIdsOfRouteFiles() throws IOException {
        Pattern id = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*\"?([\\w.-]+)|^\\s+routeId:\\s*\"?([\\w.-]+)");
        List<String> ids = new ArrayList<>();
        for (Path dir : List.of(Path.of("routes"), Path.of("routes", "shared"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                    Matcher m = id.matcher(Files.readString(f));
                    while (m.find()) {
                        ids.add(m.group(1) != null ? m.group(1) : m.group(2));
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void hawtioConnectsToFleetcoreAndShowsItsRoutesDiagramAndSource() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of())) {
            String jolokia = "http://127.0.0.1:" + fc.setting("fleetcore.management.port") + "/observe/jolokia";
            // no login: Hawtio reaches fleetcore's Jolokia through its own proxy
            showsRoutesDiagramAndSource(fc, List.of(), "/hawtio/proxy/http/127.0.0.1/" + fc.setting("fleetcore.management.port")
                    + "/observe/jolokia", "", jolokia);
        }
    }

    /**
     * Management authentication on ({@code camel.management.authentication-enabled=true}, the generated users
     * file): Jolokia answers 401 without credentials, also through Hawtio's own proxy; the console given the
     * users file ({@code --jolokia-users-file}) logs in for the browser, and the routes, diagram and source work.
     */
    @Test
    void hawtioKeepsWorkingThroughManagementAuthentication() throws Exception {
        try (RunningFleetcore fc = RunningFleetcore.start(Map.of("camel.management.authentication-enabled", "true"))) {
            String jolokia = "http://127.0.0.1:" + fc.setting("fleetcore.management.port") + "/observe/jolokia";
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jolokia))
                    .header("Origin", "http://127.0.0.1").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("Jolokia without credentials").isEqualTo(401);

            Path users = Path.of(fc.setting("fleetcore.data-dir"), "management-users.properties");
            String proxied = "/hawtio/proxy/http/127.0.0.1/" + fc.setting("fleetcore.management.port") + "/observe/jolokia";
            showsRoutesDiagramAndSource(fc, List.of("--jolokia-users-file", users.toAbsolutePath().toString()),
                    HawtioConsole.JOLOKIA_PATH, proxied, jolokia);
        }
    }

    /**
     * Sends three packets, starts {@code fleetcore-tools.jar hawtio} with {@code extraArgs}, and checks in the browser
     * the route list, the json gateway's diagram with its counts and the source read through {@code sourcePath};
     * {@code refusedPath}, when given, must answer 401 (Jolokia without the login).
     */
    private static void showsRoutesDiagramAndSource(RunningFleetcore fc, List<String> extraArgs, String sourcePath, String refusedPath,
                                                    String jolokia) throws Exception {
        List<String> routeIds = routeIdsOfRouteFiles();
        assertThat(routeIds).contains("json-gateway", "ingest");
        StringBuilder three = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            three.append(PACKET.formatted(i));
        }
        assertThat(RunningFleetcore.exchange(fc.jsonPort(), three.toString(), 3, 5000)).isEqualTo("111");

        int hawtioPort = TestServices.freePort();
        String shots = extraArgs.isEmpty() ? "hawtio" : "hawtio-login";
        List<String> args = new ArrayList<>(List.of("hawtio", "--port", String.valueOf(hawtioPort), "--jolokia", jolokia));
        args.addAll(extraArgs);
        try (JarProcess hawtio = JarProcess.start(JarProcess.jar(Jars.TOOLS), args,
                Map.of("FLEETCORE_HAWTIO_WAR", OUT.resolve("hawtio.war").toAbsolutePath().toString()),
                OUT.resolve(shots + "-console.log"));
             HeadlessChromium browser = HeadlessChromium.start(
                     Path.of(TestServices.buildDir(), TestServices.unique("chromium-profile")), 1400, 900)) {
            hawtio.awaitPort(hawtioPort, Duration.ofSeconds(90));

            try {
                browser.navigate("http://127.0.0.1:" + hawtioPort + "/");
            } catch (java.util.concurrent.TimeoutException firstLoad) {
                // the first page of a fresh browser on a loaded machine can take over 30 s: once more
                browser.navigate("http://127.0.0.1:" + hawtioPort + "/");
            }
            String allRoutesShown = routeIds.stream()
                    .map(r -> "document.body.innerText.includes('" + r + "')")
                    .reduce((a, b) -> a + " && " + b).orElseThrow();
            boolean routesShown = browser.waitFor(allRoutesShown, Duration.ofSeconds(60));
            browser.screenshot(OUT.resolve(shots + "-routes.png"));
            assertThat(routesShown).as("route ids in Hawtio; page shows:\n" + browser.text()).isTrue();
            assertThat(browser.text()).contains("fleetcore");

            assertThat(browser.clickText("span, button, a", "json-gateway")).as("json-gateway in the tree").isTrue();
            assertThat(browser.waitFor("[...document.querySelectorAll('button, a')].some(e => e.textContent.trim() === 'Route Diagram')",
                    Duration.ofSeconds(30))).as("route tabs; page shows:\n" + browser.text()).isTrue();
            assertThat(browser.clickText("button, a", "Route Diagram")).isTrue();
            // live counts: each step node shows its completed exchanges (3 packets were sent)
            boolean diagram = browser.waitFor("document.querySelectorAll('.react-flow__node').length >= 5"
                    + " && [...document.querySelectorAll('.react-flow__node .number')].some(e => e.textContent.trim() === '3')",
                    Duration.ofSeconds(30));
            browser.screenshot(OUT.resolve(shots + "-route-diagram.png"));
            assertThat(diagram).as("route diagram with counts; page shows:\n" + browser.text()).isTrue();
            assertThat(browser.evaluate("[...document.querySelectorAll('.react-flow__node .camel-node-label')]"
                    + ".map(e => e.textContent.trim()).join('|')")).contains("To direct:accept");

            // the Source tab: Hawtio 4.2.0 draws it with an editor it loads from a public CDN, which this
            // offline browser cannot reach; the source itself comes through the console, checked here
            assertThat(browser.clickText("button, a", "Source")).isTrue();
            String dumpRoute = "{method: 'POST', headers: {'Content-Type': 'text/json'}, body: JSON.stringify("
                    + "{type: 'exec', mbean: 'org.apache.camel:context=fleetcore,type=routes,name=\"json-gateway\"',"
                    + " operation: 'dumpRouteAsXml()'})}";
            String source = browser.evaluate("fetch('" + sourcePath + "', " + dumpRoute + ").then(r => r.text())");
            assertThat(source).contains("\"status\":200").contains("decode-frame").contains("reply-to-device");
            if (!refusedPath.isEmpty()) {
                String refused = browser.evaluate("fetch('" + refusedPath + "', " + dumpRoute + ").then(r => r.status + ' ' + r.statusText)");
                assertThat(refused).as("Jolokia through Hawtio's proxy without the login").startsWith("401");
            }
        }
    }
}
