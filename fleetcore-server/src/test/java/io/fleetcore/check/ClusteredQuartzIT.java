package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two fleetcore instances on one PostgreSQL. With {@code fleetcore.quartz.clustered=true} each tick of each
 * check runs on exactly one of them; without it, each tick runs on both (the control, so the assertion can
 * fail). Every tick is noted in check_runs with the instance that ran it.
 */
class ClusteredQuartzIT {

    static final int TICKS = 6;

    static RunningFleetcore instance(String db, String name, boolean clustered) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fleetcore.db.url", db);
        s.put("fleetcore.instance-id", name);
        s.put("fleetcore.quartz.clustered", Boolean.toString(clustered));
        s.put("fleetcore.quartz.cluster-checkin-interval", "1s");
        s.put("fleetcore.quality.cron", "* * * * * ?");
        s.put("fleetcore.heartbeat.cron", "* * * * * ?");
        // two Camel contexts in one JVM: no JMX, so their names do not clash there
        s.put("camel.main.jmx-enabled", "false");
        if (!clustered) {
            // unclustered, camel-quartz keeps one RAM scheduler per Camel context name in a JVM: separate them
            s.put("camel.main.name", "fleetcore-" + name);
        }
        return RunningFleetcore.start(s);
    }

    static long since(long millis) {
        return millis / 1000 + 1;
    }

    static void awaitTicks(RunningFleetcore fc, long fromSecond, int ticks) throws Exception {
        Eventually.within(Duration.ofSeconds(30), ticks + " quality ticks",
                () -> fc.count("select count(distinct scheduled_at) from check_runs where check_name = 'quality'"
                        + " and scheduled_at >= to_timestamp(" + fromSecond + ")") >= ticks);
    }

    /** "check tick instances" → how many instances ran that tick, for ticks from {@code fromSecond}. */
    static Map<String, Long> runs(RunningFleetcore fc, long fromSecond) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = fc.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select check_name || ' ' || scheduled_at || ' ' || string_agg(instance, ',' order by instance), count(*)"
                        + " from check_runs where scheduled_at >= to_timestamp(" + fromSecond + ")"
                        + " group by check_name, scheduled_at order by 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void clusteredEachTickRunsOnceAcrossTwoInstancesAndTheSurvivorTakesOver() throws Exception {
        String db = TestServices.newDatabase();
        try (RunningFleetcore b = instance(db, "node-b", true)) {
            long bothFrom;
            Map<String, Long> both;
            try (RunningFleetcore a = instance(db, "node-a", true)) {
                bothFrom = since(System.currentTimeMillis());
                awaitTicks(a, bothFrom, TICKS);
                both = runs(a, bothFrom);
            }
            long aloneFrom = since(System.currentTimeMillis()) + 1;
            awaitTicks(b, aloneFrom, TICKS);
            Map<String, Long> alone = runs(b, aloneFrom);
            System.out.println("clustered, both up: " + both);
            System.out.println("clustered, node-a stopped: " + alone);
            assertThat(both.keySet().stream().filter(k -> k.startsWith("quality "))).hasSizeGreaterThanOrEqualTo(TICKS);
            assertThat(both.keySet().stream().filter(k -> k.startsWith("heartbeat "))).hasSizeGreaterThanOrEqualTo(TICKS - 1);
            assertThat(both).allSatisfy((tick, n) -> assertThat(n).as(tick).isEqualTo(1L));
            assertThat(alone).allSatisfy((tick, n) -> assertThat(n).as(tick).isEqualTo(1L));
            assertThat(alone.keySet().stream().filter(k -> k.startsWith("quality ") && k.endsWith(" node-b")))
                    .as("node-b runs the ticks once node-a is gone").hasSizeGreaterThanOrEqualTo(TICKS);
            assertThat(b.count("select count(*) from qrtz_scheduler_state")).as("cluster members seen").isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void withoutClusteringBothInstancesRunEveryTick() throws Exception {
        String db = TestServices.newDatabase();
        try (RunningFleetcore a = instance(db, "node-a", false); RunningFleetcore b = instance(db, "node-b", false)) {
            long from = since(System.currentTimeMillis());
            awaitTicks(a, from, TICKS);
            Map<String, Long> runs = runs(a, from);
            System.out.println("unclustered: " + runs);
            assertThat(runs.values().stream().filter(n -> n == 2L).count()).as("ticks run twice").isGreaterThanOrEqualTo(TICKS - 1);
        }
    }
}
