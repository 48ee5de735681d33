package io.fleetcore.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.Audit;
import io.fleetcore.sim.Simulator;
import io.fleetcore.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two fleetcore processes on one database and one broker behind HAProxy (Debian's package), configured from
 * docker/haproxy.cfg with loopback addresses: simulated devices connect through HAProxy, one instance is
 * killed with SIGKILL, the devices reconnect through the survivor, the audit finds every ACKed record stored
 * once, and the clustered quality and heartbeat ticks ran once per tick across both instances.
 */
@Tag("slow")
class TwoInstancesBehindHaproxyIT {

    /** docker/haproxy.cfg with the listeners and servers on loopback ports. */
    static String loopbackConfig(int jsonPort, int teltonikaPort, List<ScaleOutSupport.Instance> instances) throws Exception {
        String cfg = Files.readString(Path.of("docker/haproxy.cfg"));
        // the test process's file-descriptor limit is lower than a production host's
        cfg = cfg.replaceFirst("maxconn \\d+", "maxconn 4000");
        cfg = cfg.replace("bind :2006", "bind 127.0.0.1:" + jsonPort).replace("bind :5027", "bind 127.0.0.1:" + teltonikaPort);
        for (int i = 0; i < instances.size(); i++) {
            ScaleOutSupport.Instance in = instances.get(i);
            cfg = cfg.replace("fleetcore-" + (i + 1) + ":2006", "127.0.0.1:" + in.jsonPort())
                    .replace("fleetcore-" + (i + 1) + ":5027", "127.0.0.1:" + in.teltonikaPort());
        }
        return cfg;
    }

    @Test
    void devicesReconnectThroughTheSurvivorAfterAKill9AndEveryAckedRecordIsStoredOnce() throws Exception {
        Path dir = ScaleOutSupport.dir("two-instances");
        String db = TestServices.newDatabase();
        Map<String, String> shared = new HashMap<>(Map.of(
                "FLEETCORE_DB_URL", db,
                "FLEETCORE_AMQP_URI", TestServices.amqpUri(),
                "FLEETCORE_AMQP_EXCHANGE", TestServices.unique("fleetcore"),
                "FLEETCORE_AMQP_RETRY_QUEUE", TestServices.unique("fleetcore.retry"),
                "FLEETCORE_AMQP_PARKED_QUEUE", TestServices.unique("fleetcore.parked"),
                "FLEETCORE_QUARTZ_CLUSTERED", "true",
                "FLEETCORE_QUARTZ_CLUSTER_CHECKIN_INTERVAL", "1s",
                "FLEETCORE_QUALITY_CRON", "0/2 * * * * ?",
                "FLEETCORE_HEARTBEAT_CRON", "1/2 * * * * ?"));
        List<ScaleOutSupport.Instance> instances = new ArrayList<>();
        Process haproxy = null;
        try {
            instances.add(ScaleOutSupport.start("fc-a", dir, shared));
            instances.add(ScaleOutSupport.start("fc-b", dir, shared));
            int lbJson = TestServices.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, loopbackConfig(lbJson, TestServices.freePort(), instances));
            haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            for (int i = 0; i < 100 && !TestServices.reachable("127.0.0.1", lbJson); i++) {
                Thread.sleep(100);
            }
            assertThat(TestServices.reachable("127.0.0.1", lbJson)).as("haproxy listens").isTrue();

            Path ledger = dir.resolve("ledger.csv");
            long from = System.currentTimeMillis() / 1000 + 1;
            CompletableFuture<Simulator.Result> run = ScaleOutSupport.simulate(lbJson, 40, 200, Duration.ofSeconds(40), ledger, System.out);
            TimeUnit.SECONDS.sleep(15);
            ScaleOutSupport.Instance victim = instances.get(0);
            System.out.println("kill -9 " + victim.name() + " (pid " + victim.process().process().pid() + ")");
            victim.process().process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            Simulator.Result result = run.get(120, TimeUnit.SECONDS);
            long to = System.currentTimeMillis() / 1000 - 2;
            System.out.println(result.summary());
            Audit.Result audit = ScaleOutSupport.audit(ledger, db, Duration.ofSeconds(60));
            System.out.println("audit: " + audit);
            long survivorRows = ScaleOutSupport.count(db, "select count(*) from records");
            String window = " and scheduled_at between to_timestamp(" + from + ") and to_timestamp(" + to + ")";
            long qualityTicks = ScaleOutSupport.count(db, "select count(distinct scheduled_at) from check_runs where check_name = 'quality'" + window);
            long qualityRuns = ScaleOutSupport.count(db, "select count(*) from check_runs where check_name = 'quality'" + window);
            long heartbeatTicks = ScaleOutSupport.count(db, "select count(distinct scheduled_at) from check_runs where check_name = 'heartbeat'" + window);
            long heartbeatRuns = ScaleOutSupport.count(db, "select count(*) from check_runs where check_name = 'heartbeat'" + window);
            long instancesRunning = ScaleOutSupport.count(db, "select count(distinct instance) from check_runs where true" + window);
            System.out.println("FIGURES two-instances: acked=" + result.acked() + " reconnects=" + result.reconnects()
                    + " resent=" + result.resent() + " rate=" + Math.round(result.ratePerSecond()) + "/s p99_ms=" + result.p(99)
                    + " missing=" + audit.missing() + " duplicates=" + audit.duplicates() + " rows=" + survivorRows
                    + " quality ticks/runs=" + qualityTicks + "/" + qualityRuns + " heartbeat ticks/runs=" + heartbeatTicks + "/" + heartbeatRuns
                    + " instances running ticks=" + instancesRunning);

            assertThat(result.reconnects()).as("devices of the killed instance reconnected").isGreaterThan(0);
            assertThat(result.acked()).isGreaterThan(3000);
            assertThat(audit.missing()).as("ACKed but not stored").isZero();
            assertThat(audit.duplicates()).as("stored twice").isZero();
            assertThat(qualityTicks).as("quality ticks").isGreaterThanOrEqualTo(10);
            assertThat(qualityRuns).as("each quality tick ran once across both instances").isEqualTo(qualityTicks);
            assertThat(heartbeatTicks).as("heartbeat ticks").isGreaterThanOrEqualTo(10);
            assertThat(heartbeatRuns).as("each heartbeat tick ran once across both instances").isEqualTo(heartbeatTicks);
        } finally {
            if (haproxy != null) {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
            for (ScaleOutSupport.Instance in : instances) {
                in.process().terminate(Duration.ofSeconds(60));
            }
        }
    }
}
