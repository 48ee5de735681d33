package io.fleetcore.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.sim.Audit;
import io.fleetcore.sim.Simulator;
import io.fleetcore.testing.RabbitCluster;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quorum queues on a real 3-node RabbitMQ cluster (the installed rabbitmq-server, nodes fc1..fc3@localhost on
 * loopback ports of their own): fleetcore runs against it with simulated devices, the database goes away so
 * records are ACKed through the retry queue, the node that leads the retry queue is stopped during the outage,
 * the database comes back, and the audit finds every ACKed record stored exactly once.
 */
@Tag("slow")
class QuorumClusterFailoverIT {

    @Test
    void everyAckedRecordIsStoredOnceWhenTheRetryQueueLeaderStopsDuringADatabaseOutage() throws Exception {
        Path dir = ScaleOutSupport.dir("quorum-cluster");
        String db = TestServices.newDatabase();
        String retryQueue = TestServices.unique("fleetcore.retry");
        try (RabbitCluster cluster = RabbitCluster.start(dir.resolve("rabbit"), 3);
             TcpProxy dbProxy = TcpProxy.forJdbc(db)) {
            ScaleOutSupport.Instance fc = ScaleOutSupport.start("fc-quorum", dir, Map.of(
                    "FLEETCORE_DB_URL", dbProxy.jdbcUrl(db),
                    "FLEETCORE_DB_CONNECTION_TIMEOUT", "500ms",
                    "FLEETCORE_AMQP_URI", cluster.uri(),
                    "FLEETCORE_AMQP_ADDRESSES", cluster.addresses(),
                    "FLEETCORE_AMQP_QUEUE_TYPE", "quorum",
                    "FLEETCORE_AMQP_RETRY_QUEUE", retryQueue,
                    "FLEETCORE_RETRY_MAX_DELAY_MS", "500"));
            try {
                Path ledger = dir.resolve("ledger.csv");
                CompletableFuture<Simulator.Result> run = ScaleOutSupport.simulate(fc.jsonPort(), 20, 100,
                        Duration.ofSeconds(45), ledger, System.out);
                TimeUnit.SECONDS.sleep(5);
                dbProxy.cut();
                System.out.println("database cut");
                TimeUnit.SECONDS.sleep(8);
                String leader = cluster.leaderOf(retryQueue, cluster.nodes().get(0).name());
                String other = cluster.nodes().stream().map(RabbitCluster.Node::name).filter(n -> !n.equals(leader))
                        .findFirst().orElseThrow();
                System.out.println("stopping " + leader + ", the leader of " + retryQueue);
                cluster.stop(leader);
                String newLeader = cluster.leaderOf(retryQueue, other);
                System.out.println("new leader of " + retryQueue + ": " + newLeader);
                TimeUnit.SECONDS.sleep(8);
                double deadLettered = ScaleOutSupport.metric(fc.managementPort(), "fleetcore_records_dead_lettered_total");
                dbProxy.restore();
                System.out.println("database back; dead-lettered so far: " + deadLettered);

                Simulator.Result result = run.get(120, TimeUnit.SECONDS);
                System.out.println(result.summary());
                Audit.Result audit = ScaleOutSupport.audit(ledger, db, Duration.ofSeconds(90));
                System.out.println("audit: " + audit);
                System.out.println("FIGURES quorum-cluster: acked=" + result.acked() + " stored=" + audit.stored()
                        + " missing=" + audit.missing() + " duplicates=" + audit.duplicates()
                        + " dead_lettered=" + deadLettered + " p99_ms=" + result.p(99) + " leader_stopped=" + leader
                        + " new_leader=" + newLeader);

                assertThat(newLeader).as("a surviving node leads the retry queue").isNotEqualTo(leader);
                assertThat(deadLettered).as("records ACKed through the retry queue during the outage").isGreaterThan(0);
                assertThat(result.acked()).isGreaterThan(500);
                assertThat(audit.missing()).as("ACKed but not stored").isZero();
                assertThat(audit.duplicates()).as("stored twice").isZero();
                assertThat(audit.clean()).isTrue();
                assertThat(ScaleOutSupport.count(db, "select count(*) from records")).isGreaterThanOrEqualTo(result.acked());
            } finally {
                fc.process().terminate(Duration.ofSeconds(60));
            }
        }
    }
}
