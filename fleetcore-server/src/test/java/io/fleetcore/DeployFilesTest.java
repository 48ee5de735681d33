package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.config.FleetcoreConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * No Kubernetes, Prometheus or Grafana runs here (and no kubeconform or helm package is available), so the
 * files under deploy/kubernetes and docker/observability, and docker/haproxy.cfg, are checked by reading them:
 * kinds and API versions, the probes, grace period, disruption budget and network policy; Prometheus's scrape
 * targets and alerts against the metrics fleetcore serves; the Grafana dashboard's panels.
 */
class DeployFilesTest {

    static final Path K8S = Path.of("deploy/kubernetes");
    static final Path OBSERVABILITY = Path.of("docker/observability");
    static List<Map<String, Object>> manifests = new ArrayList<>();
    static Properties defaults = new Properties();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader r = Files.newBufferedReader(Path.of("fleetcore-server/src/main/resources/application.properties"))) {
            defaults.load(r);
        }
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
                    manifests.add((Map<String, Object>) doc);
                }
            }
        }
    }

    static Object yaml(Path file) throws IOException {
        return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    static List<Map<String, Object>> kind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object n = node;
        for (String key : path) {
            n = n instanceof Map<?, ?> m ? m.get(key) : n instanceof List<?> l ? l.get(Integer.parseInt(key)) : null;
            assertThat(n).as(String.join(".", path)).isNotNull();
        }
        return (T) n;
    }

    static Map<String, Object> deployment(String component) {
        return kind("Deployment").stream()
                .filter(d -> component.equals(at(d, "spec", "selector", "matchLabels", "app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + component + " Deployment"));
    }

    @Test
    void everyManifestHasAKnownKindApiVersionAndName() {
        Map<String, String> apis = Map.of("ConfigMap", "v1", "Deployment", "apps/v1", "Service", "v1",
                "PodDisruptionBudget", "policy/v1", "NetworkPolicy", "networking.k8s.io/v1");
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(7);
        for (Map<String, Object> m : manifests) {
            String kind = String.valueOf(m.get("kind"));
            assertThat(apis).as("kind " + kind).containsKey(kind);
            assertThat(m.get("apiVersion")).as(kind + " apiVersion").isEqualTo(apis.get(kind));
            assertThat(String.valueOf((Object) at(m, "metadata", "name"))).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void gatewayAndIngestDeploymentsOfTheBrokerFirstTopologyWithProbesAndGracePeriod() {
        int shutdown = Integer.parseInt(defaults.getProperty("camel.main.shutdown-timeout").trim());
        String management = defaults.getProperty("fleetcore.management.port").trim();
        Map<String, Object> config = kind("ConfigMap").get(0);
        Map<String, Object> data = at(config, "data");
        assertThat(data).containsEntry("FLEETCORE_ROUTES", "routes/broker-first").containsEntry("FLEETCORE_AMQP_QUEUE_TYPE", "quorum")
                .containsEntry("FLEETCORE_QUARTZ_CLUSTERED", "true").containsEntry("FLEETCORE_MANAGEMENT_HOST", "0.0.0.0");
        shutdown = Integer.parseInt(String.valueOf(data.getOrDefault("CAMEL_MAIN_SHUTDOWN_TIMEOUT", shutdown)));
        List<String> known = defaults.stringPropertyNames().stream().map(FleetcoreConfig::envName).toList();
        assertThat(data.keySet().stream().filter(k -> k.startsWith("FLEETCORE_"))).as("variables fleetcore knows").allMatch(known::contains);

        for (String component : List.of("gateway", "ingest")) {
            Map<String, Object> d = deployment(component);
            Map<String, Object> pod = at(d, "spec", "template", "spec");
            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).intValue()).as(component + " grace period above the drain time")
                    .isGreaterThan(shutdown);
            Map<String, Object> container = at(pod, "containers", "0");
            assertThat(String.valueOf((Object) at(container, "livenessProbe", "httpGet", "path"))).isEqualTo("/observe/health/live");
            assertThat(String.valueOf((Object) at(container, "readinessProbe", "httpGet", "path"))).isEqualTo("/observe/health/ready");
            List<Map<String, Object>> ports = at(container, "ports");
            assertThat(ports).anyMatch(p -> p.get("name").equals("management") && String.valueOf(p.get("containerPort")).equals(management));
            List<Map<String, Object>> env = at(container, "env");
            String exclude = env.stream().filter(e -> e.get("name").equals("FLEETCORE_ROUTES_EXCLUDE")).map(e -> String.valueOf(e.get("value")))
                    .findFirst().orElseThrow();
            assertThat(exclude).as(component + " leaves out").isEqualTo(component.equals("gateway") ? "**/ingest-consumer.camel.yaml" : "**/*-gateway.camel.yaml");
            assertThat(((Number) at(d, "spec", "replicas")).intValue()).isGreaterThanOrEqualTo(2);
        }
        assertThat(at(deployment("gateway"), "spec", "template", "spec", "containers", "0", "ports").toString())
                .contains(defaults.getProperty("fleetcore.json.port").trim()).contains(defaults.getProperty("fleetcore.teltonika.port").trim())
                .contains(defaults.getProperty("fleetcore.gt06.port").trim());
    }

    @Test
    @SuppressWarnings("unchecked")
    void devicesReachTheGatewaysThroughALoadBalancerAndOnlyMonitoringReachesTheManagementPort() {
        Map<String, Object> service = kind("Service").get(0);
        assertThat(at(service, "spec", "type").toString()).isEqualTo("LoadBalancer");
        assertThat(at(service, "spec", "selector").toString()).contains("gateway");
        List<Map<String, Object>> ports = at(service, "spec", "ports");
        String teltonika = defaults.getProperty("fleetcore.teltonika.port").trim();
        assertThat(ports.stream().map(p -> p.get("protocol") + " " + p.get("port"))).containsExactlyInAnyOrder(
                "TCP " + defaults.getProperty("fleetcore.json.port").trim(), "TCP " + teltonika,
                "TCP " + defaults.getProperty("fleetcore.gt06.port").trim(), "UDP " + teltonika);

        assertThat(kind("PodDisruptionBudget")).hasSize(2).allSatisfy(pdb -> assertThat(
                ((Number) at(pdb, "spec", "maxUnavailable")).intValue()).isEqualTo(1));

        Map<String, Object> policy = kind("NetworkPolicy").get(0);
        List<Map<String, Object>> rules = at(policy, "spec", "ingress");
        String management = defaults.getProperty("fleetcore.management.port").trim();
        for (Map<String, Object> rule : rules) {
            boolean opensManagement = ((List<Map<String, Object>>) rule.get("ports")).stream()
                    .anyMatch(p -> String.valueOf(p.get("port")).equals(management));
            if (opensManagement) {
                assertThat(rule).as("management port only from selected peers").containsKey("from");
            }
        }
        assertThat(rules).anyMatch(r -> r.containsKey("from") && r.toString().contains(management));
        for (String device : List.of("fleetcore.json.port", "fleetcore.teltonika.port", "fleetcore.gt06.port")) {
            String port = defaults.getProperty(device).trim();
            assertThat(rules).as(device + " open to devices").anyMatch(r -> !r.containsKey("from")
                    && ((List<Map<String, Object>>) r.get("ports")).stream().anyMatch(p -> String.valueOf(p.get("port")).equals(port)
                    && "TCP".equals(p.get("protocol"))));
        }
        assertThat(rules).as("Teltonika over UDP open to devices").anyMatch(r -> !r.containsKey("from")
                && ((List<Map<String, Object>>) r.get("ports")).stream().anyMatch(p -> String.valueOf(p.get("port")).equals(teltonika)
                && "UDP".equals(p.get("protocol"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPodServesTheReadApiWithKeysFromTheSecretBehindAServiceOfItsOwn() {
        String api = defaults.getProperty("fleetcore.api.port").trim();
        Map<String, Object> data = at(kind("ConfigMap").get(0), "data");
        assertThat(data).containsEntry("FLEETCORE_API_HOST", "0.0.0.0").containsEntry("FLEETCORE_API_PORT", api)
                .doesNotContainKey("FLEETCORE_API_KEYS");
        for (String component : List.of("gateway", "ingest")) {
            Map<String, Object> container = at(deployment(component), "spec", "template", "spec", "containers", "0");
            List<Map<String, Object>> ports = at(container, "ports");
            assertThat(ports).as(component + " api port")
                    .anyMatch(p -> p.get("name").equals("api") && String.valueOf(p.get("containerPort")).equals(api));
            List<Map<String, Object>> env = at(container, "env");
            Map<String, Object> keys = env.stream().filter(e -> e.get("name").equals("FLEETCORE_API_KEYS")).findFirst()
                    .orElseThrow(() -> new AssertionError(component + " takes FLEETCORE_API_KEYS from the secret"));
            Map<String, Object> ref = at(keys, "valueFrom", "secretKeyRef");
            assertThat(ref).containsEntry("name", "fleetcore-secrets").containsEntry("key", "FLEETCORE_API_KEYS")
                    .doesNotContainKey("optional");
        }
        Map<String, Object> service = kind("Service").stream().filter(s -> "fleetcore-api".equals(at(s, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Service fleetcore-api"));
        assertThat(at(service, "spec", "type").toString()).isEqualTo("ClusterIP");
        List<Map<String, Object>> ports = at(service, "spec", "ports");
        assertThat(ports).singleElement().satisfies(p -> {
            assertThat(String.valueOf(p.get("port"))).isEqualTo(api);
            assertThat(p.get("targetPort")).isEqualTo("api");
        });
        List<Map<String, Object>> rules = at(kind("NetworkPolicy").get(0), "spec", "ingress");
        assertThat(rules).as("the API port is let in").anyMatch(r -> !r.containsKey("from")
                && ((List<Map<String, Object>>) r.get("ports")).stream().anyMatch(p -> String.valueOf(p.get("port")).equals(api)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesFleetcoreAndAlertsOnWhatItServes() throws IOException {
        Map<String, Object> prometheus = (Map<String, Object>) yaml(OBSERVABILITY.resolve("prometheus.yml"));
        List<Map<String, Object>> jobs = at(prometheus, "scrape_configs");
        Map<String, Object> fleetcore = jobs.stream().filter(j -> j.get("job_name").equals("fleetcore")).findFirst().orElseThrow();
        assertThat(fleetcore.get("metrics_path")).isEqualTo("/observe/metrics");
        assertThat(at(fleetcore, "static_configs", "0", "targets").toString())
                .contains("fleetcore:" + defaults.getProperty("fleetcore.management.port").trim());
        assertThat((List<String>) prometheus.get("rule_files")).containsExactly("/etc/prometheus/alerts.yml");

        Map<String, Object> alerts = (Map<String, Object>) yaml(OBSERVABILITY.resolve("alerts.yml"));
        List<Map<String, Object>> rules = at(alerts, "groups", "0", "rules");
        Map<String, String> exprs = rules.stream().collect(Collectors.toMap(r -> String.valueOf(r.get("alert")), r -> String.valueOf(r.get("expr"))));
        assertThat(exprs.get("FleetcoreMessagesParked")).contains("fleetcore_records_parked_total").contains("> 0");
        assertThat(exprs.get("FleetcoreDeadLetteredRate")).contains("rate(fleetcore_records_dead_lettered_total");
        assertThat(exprs.get("FleetcoreAckLatencyP99High")).contains("histogram_quantile(0.99").contains("fleetcore_ack_latency_seconds_bucket");
        assertThat(exprs.get("FleetcoreNoRecordsStored")).contains("fleetcore_records_stored_total");
        assertThat(exprs.get("FleetcoreNotReady")).contains("up{job=\"fleetcore\"} == 0");
        rules.forEach(r -> assertThat(r).as(String.valueOf(r.get("alert"))).containsKeys("for", "labels", "annotations"));
        assertThat(metricNames(String.join(" ", exprs.values()))).allMatch(DeployFilesTest::servedByFleetcore);
    }

    @Test
    void grafanaDashboardIsProvisionedWithEveryPanel() throws IOException {
        assertThat(yaml(OBSERVABILITY.resolve("grafana/provisioning/datasources/prometheus.yaml")).toString()).contains("http://prometheus:9090");
        assertThat(yaml(OBSERVABILITY.resolve("grafana/provisioning/dashboards/fleetcore.yaml")).toString()).contains("/var/lib/grafana/dashboards");
        JsonNode dash = new ObjectMapper().readTree(OBSERVABILITY.resolve("grafana/dashboards/fleetcore.json").toFile());
        List<JsonNode> panels = StreamSupport.stream(dash.get("panels").spliterator(), false).toList();
        assertThat(panels.stream().map(p -> p.get("title").asText())).contains("Ingest by protocol", "ACK latency", "Device connections",
                "Dead-letter, redelivery, parking", "Rejected frames by reason", "Queue depths", "JVM heap", "Hikari pool");
        assertThat(panels.stream().filter(p -> p.get("title").asText().equals("ACK latency")).findFirst().orElseThrow().get("type").asText())
                .isEqualTo("heatmap");
        String exprs = panels.stream().flatMap(p -> StreamSupport.stream(p.get("targets").spliterator(), false))
                .map(t -> t.get("expr").asText()).collect(Collectors.joining(" "));
        assertThat(exprs).contains("by (protocol)", "fleetcore_ack_latency_seconds_bucket", "fleetcore_connections",
                "fleetcore_frames_rejected_total", "rabbitmq_detailed_queue_messages_ready", "jvm_memory_used_bytes", "hikaricp_connections_active");
        assertThat(metricNames(exprs)).allMatch(m -> servedByFleetcore(m) || m.startsWith("rabbitmq_"));
    }

    @Test
    void haproxyBalancesEveryDevicePortWithHealthChecks() throws IOException {
        String cfg = Files.readString(Path.of("docker/haproxy.cfg"));
        assertThat(cfg).contains("mode tcp").contains("bind :" + defaults.getProperty("fleetcore.json.port").trim())
                .contains("bind :" + defaults.getProperty("fleetcore.teltonika.port").trim())
                .contains("bind :" + defaults.getProperty("fleetcore.gt06.port").trim()).contains("option redispatch");
        Matcher servers = Pattern.compile("(?m)^\\s+server (\\S+) (\\S+) check$").matcher(cfg);
        int n = 0;
        while (servers.find()) {
            n++;
        }
        assertThat(n).as("servers with health checks, two per device port").isEqualTo(6);
        assertThat(cfg).as("says UDP cannot pass").contains("TCP only: Teltonika over UDP");
        assertThat(cfg).doesNotContain(":" + defaults.getProperty("fleetcore.management.port").trim());
    }

    static List<String> metricNames(String exprs) {
        Matcher m = Pattern.compile("\\b(fleetcore_[a-z_]+|jvm_[a-z_]+|hikaricp_[a-z_]+|rabbitmq_[a-z_]+)").matcher(exprs);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Names fleetcore's registry publishes (FleetcoreMetrics, the JVM binders, Hikari's pool metrics). */
    static boolean servedByFleetcore(String name) {
        return name.matches("fleetcore_(records_(received|stored|dead_lettered|redelivered|parked)_total|frames_rejected_total"
                + "|ack_latency_seconds_bucket|connections)") || name.startsWith("jvm_memory_") || name.startsWith("hikaricp_connections");
    }
}
