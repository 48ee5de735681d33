package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * No Docker engine runs here, so docker/Dockerfile and docker/compose.yaml are checked by reading them:
 * services, healthchecks, volumes, ports and environment variables against application.properties (a
 * variable fleetcore does not know would be silently ignored). {@code docker-compose config} (1.29) also
 * accepts compose.yaml; see README.
 */
class DockerFilesTest {

    static Properties defaults = new Properties();
    static Map<String, Object> compose;
    static String dockerfile;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader r = Files.newBufferedReader(Path.of("fleetcore-server/src/main/resources/application.properties"))) {
            defaults.load(r);
        }
        compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker/compose.yaml")));
        dockerfile = Files.readString(Path.of("docker/Dockerfile"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).as("services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    static String port(String key) {
        return defaults.getProperty(key).trim();
    }

    static Set<String> knownEnvNames() {
        return defaults.stringPropertyNames().stream().map(FleetcoreConfig::envName).collect(Collectors.toSet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheWholeSystemWithHealthchecksAndNamedVolumes() {
        assertThat((Map<String, Object>) compose.get("services")).containsOnlyKeys("postgres", "rabbitmq", "fleetcore", "hawtio",
                "prometheus", "grafana");
        for (String name : List.of("postgres", "rabbitmq", "fleetcore", "hawtio")) {
            Map<String, Object> healthcheck = (Map<String, Object>) service(name).get("healthcheck");
            assertThat(healthcheck).as(name + " healthcheck").containsKeys("test", "interval", "retries");
        }
        assertThat(String.valueOf(service("rabbitmq").get("image"))).contains("management");
        Map<String, Object> volumes = (Map<String, Object>) compose.get("volumes");
        assertThat(volumes).containsKeys("postgres-data", "rabbitmq-data", "fleetcore-data");
        assertThat((List<String>) service("postgres").get("volumes")).anyMatch(v -> v.startsWith("postgres-data:"));
        assertThat((List<String>) service("rabbitmq").get("volumes")).anyMatch(v -> v.startsWith("rabbitmq-data:"));
        assertThat((List<String>) service("fleetcore").get("volumes"))
                .contains("../routes:/app/routes:ro").anyMatch(v -> v.startsWith("fleetcore-data:"));

        Map<String, Object> dependsOn = (Map<String, Object>) service("fleetcore").get("depends_on");
        assertThat(dependsOn).containsKeys("postgres", "rabbitmq");
        dependsOn.values().forEach(d -> assertThat((Map<String, Object>) d).containsEntry("condition", "service_healthy"));
        assertThat((Map<String, Object>) service("hawtio").get("depends_on")).containsKey("fleetcore");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fleetcorePortsAndVariablesMatchApplicationProperties() {
        Map<String, Object> fleetcore = service("fleetcore");
        List<String> ports = (List<String>) fleetcore.get("ports");
        String json = port("fleetcore.json.port");
        String management = port("fleetcore.management.port");
        assertThat(ports).contains(json + ":" + json);
        for (String device : List.of(port("fleetcore.teltonika.port"), port("fleetcore.gt06.port"))) {
            assertThat(ports).contains(device + ":" + device);
        }
        // Teltonika over UDP, on the same port number
        assertThat(ports).contains(port("fleetcore.teltonika.port") + ":" + port("fleetcore.teltonika.port") + "/udp");
        // management only on the host's loopback
        assertThat(ports).contains("127.0.0.1:" + management + ":" + management);
        assertThat(ports).noneMatch(p -> p.equals(management + ":" + management));

        Map<String, Object> env = (Map<String, Object>) fleetcore.get("environment");
        assertThat(knownEnvNames()).as("every variable is a key of application.properties").containsAll(env.keySet());
        assertThat(env).containsKeys("FLEETCORE_DB_URL", "FLEETCORE_DB_USER", "FLEETCORE_DB_PASSWORD", "FLEETCORE_AMQP_URI");
        assertThat(String.valueOf(env.get("FLEETCORE_DB_URL"))).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(String.valueOf(env.get("FLEETCORE_AMQP_URI"))).startsWith("amqp://").contains("@rabbitmq:5672/");
        assertThat(String.valueOf(env.get("FLEETCORE_DB_PASSWORD"))).as("secret from the environment").startsWith("${");
        assertThat(String.valueOf(env.get("CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED"))).as("management published only with authentication")
                .isEqualTo("true");

        String healthcheck = String.valueOf(((Map<String, Object>) fleetcore.get("healthcheck")).get("test"));
        // liveness, not the aggregate: a database outage makes fleetcore not ready, it must not restart it
        assertThat(healthcheck).endsWith("http://127.0.0.1:" + management + "/observe/health/live]");
        // SIGTERM drains for up to the shutdown timeout: the grace period must be longer
        int shutdownTimeout = Integer.parseInt(String.valueOf(env.getOrDefault("CAMEL_MAIN_SHUTDOWN_TIMEOUT",
                defaults.getProperty("camel.main.shutdown-timeout"))));
        String grace = String.valueOf(fleetcore.get("stop_grace_period"));
        assertThat(Integer.parseInt(grace.replace("s", ""))).isGreaterThan(shutdownTimeout);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReadApiIsExposedAndPublishedOnlyWithKeysFromTheEnvironment() throws IOException {
        String api = port("fleetcore.api.port");
        assertThat(exposedByFleetcore()).contains(api);
        assertThat(dockerfile).contains("FLEETCORE_API_HOST=0.0.0.0");
        assertThat(dockerfile).doesNotContain("FLEETCORE_API_KEYS=");

        Map<String, Object> fleetcore = service("fleetcore");
        assertThat((List<String>) fleetcore.get("ports")).contains(api + ":" + api);
        Map<String, Object> env = (Map<String, Object>) fleetcore.get("environment");
        assertThat(String.valueOf(env.get("FLEETCORE_API_HOST"))).isEqualTo("0.0.0.0");
        assertThat(String.valueOf(env.get("FLEETCORE_API_PORT"))).isEqualTo(api);
        // required, no fallback: compose refuses to start without keys (and fleetcore refuses an open API there)
        assertThat(String.valueOf(env.get("FLEETCORE_API_KEYS"))).startsWith("${FLEETCORE_API_KEYS:?").endsWith("}");
        assertThat(Files.readString(Path.of("docker/compose.yaml"))).doesNotContainPattern("\\$\\{FLEETCORE_API_KEYS:?-");
        // the container's healthcheck stays on liveness, not the API
        assertThat(String.valueOf(((Map<String, Object>) fleetcore.get("healthcheck")).get("test")))
                .endsWith("http://127.0.0.1:" + port("fleetcore.management.port") + "/observe/health/live]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void hawtioServiceConnectsToFleetcoresJolokia() {
        Map<String, Object> hawtio = service("hawtio");
        List<String> command = (List<String>) hawtio.get("command");
        assertThat(command.get(0)).isEqualTo("hawtio");
        assertThat(command).contains("http://fleetcore:" + port("fleetcore.management.port") + "/observe/jolokia");
        String hawtioPort = command.get(command.indexOf("--port") + 1);
        assertThat((List<String>) hawtio.get("ports")).containsExactly("127.0.0.1:" + hawtioPort + ":" + hawtioPort);
        // the console is the tools jar's `hawtio` command, in the Dockerfile's stage console: not in fleetcore's image
        Map<String, Object> build = (Map<String, Object>) hawtio.get("build");
        assertThat(build).containsEntry("dockerfile", "docker/Dockerfile").containsEntry("target", "console");
        assertThat(hawtio.get("image")).isNotEqualTo(service("fleetcore").get("image"));
        String console = stage("console");
        assertThat(console).contains("COPY --from=build /src/target/fleetcore-tools.jar /app/fleetcore-tools.jar")
                .contains("COPY --from=build /src/target/hawtio/hawtio.war /app/hawtio/hawtio.war")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/fleetcore-tools.jar\"]")
                .containsPattern("(?m)^USER fleetcore$");
        assertThat(runStage()).as("fleetcore's image has no Hawtio").doesNotContain("hawtio");
        // Jolokia requires a login in compose: the console uses fleetcore's users file from its data volume
        assertThat(service("fleetcore").get("environment").toString()).contains("CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED=true");
        String usersFile = command.get(command.indexOf("--jolokia-users-file") + 1);
        assertThat(usersFile).isEqualTo("/app/data/management-users.properties");
        assertThat((List<String>) hawtio.get("volumes")).containsExactly("fleetcore-data:/app/data:ro");
    }

    @Test
    void dockerfileIsMultiStageNonRootWithRoutesVolumeAndHealthcheck() {
        List<String> froms = lines("^FROM\\s+(.+)$");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.get(0)).contains(" AS build");
        assertThat(runStage()).contains("COPY --from=build /src/target/fleetcore.jar");
        assertThat(runStage()).as("the Kafka feed's add-on in the default plugins folder (WORKDIR /app)")
                .contains("COPY --from=build /src/target/fleetcore-kafka.jar /app/plugins/fleetcore-kafka.jar");
        assertThat(dockerfile).contains("COPY fleetcore-kafka/pom.xml fleetcore-kafka/");

        List<String> users = lines("^USER\\s+(\\S+)");
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).isNotIn("root", "0");
        assertThat(runStage()).as("USER after the last FROM").containsPattern("(?m)^USER fleetcore$");

        assertThat(lines("^VOLUME\\s+(.+)$")).anyMatch(v -> v.contains("\"/app/routes\""));
        assertThat(dockerfile).contains("FLEETCORE_ROUTES=/app/routes");
        // the image listens on all interfaces: Jolokia only with authentication
        assertThat(dockerfile).contains("FLEETCORE_MANAGEMENT_HOST=0.0.0.0").contains("CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED=true");
        String management = port("fleetcore.management.port");
        assertThat(dockerfile).containsPattern("HEALTHCHECK [^\\n]*\\\\\\n\\s+CMD curl -fsS http://127.0.0.1:" + management + "/observe/health/live ");
        assertThat(exposedByFleetcore()).contains(port("fleetcore.json.port"), port("fleetcore.teltonika.port"),
                port("fleetcore.teltonika.port") + "/udp", port("fleetcore.gt06.port"), management);
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/fleetcore.jar\"]");

        Matcher env = Pattern.compile("(FLEETCORE_[A-Z_]+)=").matcher(dockerfile);
        List<String> vars = new ArrayList<>();
        while (env.find()) {
            vars.add(env.group(1));
        }
        assertThat(vars).isNotEmpty();
        assertThat(knownEnvNames()).containsAll(vars);
    }

    /** The last stage: fleetcore's image (the default target). */
    private static String runStage() {
        return dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    }

    /** The stage {@code FROM ... AS name}, up to the next FROM. */
    private static String stage(String name) {
        Matcher from = Pattern.compile("(?m)^FROM \\S+ AS " + name + "$").matcher(dockerfile);
        assertThat(from.find()).as("stage " + name).isTrue();
        int end = dockerfile.indexOf("\nFROM ", from.end());
        return dockerfile.substring(from.start(), end < 0 ? dockerfile.length() : end);
    }

    private static List<String> exposedByFleetcore() {
        Matcher m = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(runStage());
        assertThat(m.find()).as("EXPOSE in fleetcore's stage").isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    private static List<String> lines(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(dockerfile);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1).trim());
        }
        return found;
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeHasNoFallbackPasswordsAndFleetcoreIsNotTheDatabaseSuperuser() throws IOException {
        String raw = Files.readString(Path.of("docker/compose.yaml"));
        Matcher password = Pattern.compile("\\$\\{(\\w*PASS\\w*)([^}]*)}").matcher(raw);
        int passwords = 0;
        while (password.find()) {
            passwords++;
            assertThat(password.group(2)).as(password.group(1) + " must be set (${VAR:?message}), no fallback").startsWith(":?");
        }
        assertThat(passwords).isGreaterThanOrEqualTo(3);

        Map<String, Object> postgres = (Map<String, Object>) service("postgres").get("environment");
        Map<String, Object> fleetcore = (Map<String, Object>) service("fleetcore").get("environment");
        assertThat(postgres.get("POSTGRES_USER")).as("the superuser is not the role fleetcore uses")
                .isNotEqualTo(fleetcore.get("FLEETCORE_DB_USER"));
        assertThat(postgres.get("FLEETCORE_DB_USER")).isEqualTo(fleetcore.get("FLEETCORE_DB_USER"));
        assertThat((List<String>) service("postgres").get("volumes"))
                .contains("./postgres-init.sh:/docker-entrypoint-initdb.d/10-fleetcore-role.sh:ro");
        assertThat(Files.readString(Path.of("docker/postgres-init.sh"))).contains("NOSUPERUSER");
    }
}
