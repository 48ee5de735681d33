package io.fleetcore.check;

import io.fleetcore.check.rules.Rules;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.gateway.Protocols;
import io.fleetcore.protocol.DeviceProtocol;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;

/**
 * Builds the beans of the periodic routes (routes/quality.camel.yaml, routes/heartbeat.camel.yaml) from the
 * configuration: {@code qualityChecker}, {@code deviceIntegrity}, {@code heartbeat}, {@code alertPublisher},
 * {@code heartbeatHealthChecks} (one readiness check per watched service), {@code stopChecksOnShutdown}, and with {@code fleetcore.quartz.clustered=true} the
 * {@code quartz} component on the clustered JDBC job store.
 */
public final class Checks {

    private Checks() {
    }

    /** Puts the beans into {@code beans}; hands everything that must be closed to {@code closeables}. */
    public static void create(FleetcoreConfig config, DataSource dataSource, MeterRegistry meters,
                              Map<String, Object> beans, Consumer<AutoCloseable> closeables) {
        String instance = instanceId(config.get("fleetcore.instance-id", ""));
        AlertPublisher alerts = new AlertPublisher(dataSource, config.getInt("fleetcore.alert.backlog-capacity"),
                config.get("fleetcore.alert.webhook", "").isBlank() ? "" : config.get("fleetcore.alert.unstored-uri"), meters);
        CheckRuns runs = new CheckRuns(dataSource, instance);
        List<String> gateways = ((Protocols) beans.get("protocols")).all().stream().map(DeviceProtocol::name).toList();
        Heartbeat heartbeat = new Heartbeat(probes(config, dataSource, gateways), dataSource, alerts, runs,
                config.getDuration("fleetcore.heartbeat.timeout"), config.getDuration("fleetcore.heartbeat.max-age"));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alertPublisher", alerts);
        QualityChecker quality = new QualityChecker(dataSource, Rules.all(), config.getInt("fleetcore.quality.chunk-size"),
                config.getLong("fleetcore.quality.max-records-per-run"), runs, meters);
        out.put("qualityChecker", quality);
        out.put("stopChecksOnShutdown", new StopChecksOnShutdown(quality));
        out.put("deviceIntegrity", new DeviceIntegrity(dataSource, config.getDuration("fleetcore.integrity.window"), alerts, instance));
        out.put("heartbeat", heartbeat);
        out.put("heartbeatHealthChecks", new HeartbeatHealthChecks(heartbeat));
        if (config.getBoolean("fleetcore.quartz.clustered")) {
            Scheduler scheduler = ClusteredScheduler.create(dataSource, config.get("fleetcore.quartz.scheduler-name"),
                    instance, config.getDuration("fleetcore.quartz.cluster-checkin-interval"), 4);
            closeables.accept(() -> scheduler.shutdown(true));
            QuartzComponent quartz = new QuartzComponent();
            quartz.setScheduler(scheduler);
            out.put("quartz", quartz);
        }
        beans.putAll(out);
    }

    /** {@code gateways}: the names of the device protocols, each probed on its port {@code fleetcore.<name>.port} */
    static List<Probe> probes(FleetcoreConfig config, DataSource dataSource, List<String> gateways) {
        List<Probe> probes = new ArrayList<>();
        probes.add(new PostgresProbe(dataSource));
        if (!config.amqpUri().isEmpty()) {
            probes.add(new RabbitProbe(config.amqpUri(), config.get("fleetcore.amqp.retry-queue"),
                    config.get("fleetcore.amqp.addresses", "")));
            if (config.getBoolean("fleetcore.amqp.queue-policy-check")) {
                probes.add(QueuePolicyProbe.of(config.amqpUri(), config.get("fleetcore.amqp.management-url", ""),
                        config.get("fleetcore.amqp.management-user", ""), config.get("fleetcore.amqp.management-password", ""),
                        List.of(config.get("fleetcore.amqp.retry-queue"), config.get("fleetcore.amqp.parked-queue"),
                                config.get("fleetcore.amqp.ingest-queue", ""))));
            }
        }
        String bind = config.get("fleetcore.bind-host", "0.0.0.0");
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        for (String gateway : gateways) {
            String port = config.get("fleetcore." + gateway + ".port", null);
            if (port != null && !port.isBlank()) {
                probes.add(new TcpPortProbe("gateway-" + gateway, host, Integer.parseInt(port)));
            }
        }
        return probes;
    }

    /** The configured id, or host name, process id and a random suffix (unique per run, readable in logs). */
    static String instanceId(String configured) {
        if (!configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }
}
