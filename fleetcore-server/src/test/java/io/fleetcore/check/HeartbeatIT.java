package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TcpProxy;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats on a live fleetcore whose PostgreSQL sits behind an in-process TCP proxy (NetCrusher): cutting
 * the proxy turns readiness DOWN and raises one alert within two ticks; reopening it turns it UP with one
 * recovery alert; service_status keeps the transitions.
 */
class HeartbeatIT {

    static final Duration TICK = Duration.ofSeconds(2);
    /**
     * two ticks, plus what one probe may wait while the database is gone (validation of a pooled connection,
     * then the pool's connection timeout: 1 s each here) and 1 s of slack for a loaded machine
     */
    static final Duration TWO_TICKS = TICK.multipliedBy(2).plusSeconds(3);
    static TcpProxy proxy;
    static WebhookReceiver webhook;
    static RunningFleetcore fc;
    static boolean broker;

    @BeforeAll
    static void start() throws Exception {
        String direct = TestServices.newDatabase();
        proxy = TcpProxy.forJdbc(direct);
        webhook = new WebhookReceiver();
        Map<String, String> settings = new HashMap<>();
        settings.put("fleetcore.db.url", proxy.jdbcUrl(direct));
        settings.put("test.db.direct-url", direct);
        settings.put("fleetcore.db.connection-timeout", "1s");
        settings.put("fleetcore.heartbeat.cron", "0/2 * * * * ?");
        settings.put("fleetcore.heartbeat.timeout", "1s");
        settings.put("fleetcore.quality.cron", "0 0 0 1 1 ? 2099");
        settings.put("fleetcore.alert.webhook", webhook.url());
        settings.put("fleetcore.feed.poll-delay-ms", "100");
        broker = TestServices.externalBroker();
        if (broker) {
            settings.put("fleetcore.amqp.uri", "amqp://guest:guest@127.0.0.1:" + TestServices.AMQP_PORT + "/");
            settings.put("fleetcore.amqp.retry-queue", TestServices.unique("fleetcore.retry"));
        }
        fc = RunningFleetcore.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fc != null) {
            fc.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    Optional<HealthCheck.Result> readiness(String id) {
        return HealthCheckHelper.invokeReadiness(fc.server().camelContext(), "full").stream()
                .filter(r -> r.getCheck().getId().equals(id)).findFirst();
    }

    boolean state(String id, HealthCheck.State state) {
        return readiness(id).map(r -> r.getState() == state).orElse(false);
    }

    List<String> transitions(String service) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = fc.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select status from service_status where service = '" + service + "' order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void databaseCutOffGoesDownWithOneAlertAndComesBackWithOne() throws Exception {
        Eventually.within(Duration.ofSeconds(10), "ready", () -> state("fleetcore-postgresql", HealthCheck.State.UP)
                && state("fleetcore-gateway-json", HealthCheck.State.UP)
                && state("fleetcore-gateway-teltonika", HealthCheck.State.UP) && state("fleetcore-gateway-gt06", HealthCheck.State.UP));
        if (broker) {
            assertThat(readiness("fleetcore-rabbitmq")).get().extracting(HealthCheck.Result::getState).isEqualTo(HealthCheck.State.UP);
        }
        Eventually.within(TICK.multipliedBy(3), "first heartbeat recorded", () -> transitions("postgresql").equals(List.of("UP")));
        assertThat(webhook.about("postgresql")).as("coming up at start is no alert").isEmpty();

        proxy.cut();
        Duration down = Eventually.within(TWO_TICKS, "DOWN and one alert within two ticks",
                () -> !webhook.about("postgresql").isEmpty() && state("fleetcore-postgresql", HealthCheck.State.DOWN));
        System.out.println("postgresql DOWN detected and alerted after " + down.toMillis() + " ms");
        Thread.sleep(TICK.multipliedBy(2).toMillis()); // two more ticks while down: no second alert
        assertThat(webhook.about("postgresql")).extracting(n -> n.path("state").asText()).containsExactly("down");
        JsonNode alert = webhook.about("postgresql").get(0);
        assertThat(alert.path("kind").asText()).isEqualTo("service");
        assertThat(alert.path("detail").asText()).isNotBlank();
        assertThat(state("fleetcore-gateway-json", HealthCheck.State.UP)).as("the gateway port itself is still up").isTrue();

        proxy.restore();
        Duration up = Eventually.within(TWO_TICKS, "UP and one recovery alert within two ticks",
                () -> webhook.about("postgresql").size() == 2 && state("fleetcore-postgresql", HealthCheck.State.UP));
        System.out.println("postgresql UP detected and alerted after " + up.toMillis() + " ms");
        Thread.sleep(TICK.multipliedBy(2).toMillis());
        assertThat(webhook.about("postgresql")).extracting(n -> n.path("state").asText()).containsExactly("down", "up");
        Eventually.within(TICK.multipliedBy(2), "transitions written once the database is back",
                () -> transitions("postgresql").equals(List.of("UP", "DOWN", "UP")));
        assertThat(fc.server().runtime().metrics().scrape())
                .contains("fleetcore_alerts_total{kind=\"service\",state=\"down\"} 1.0")
                .contains("fleetcore_alerts_total{kind=\"service\",state=\"up\"} 1.0");
    }
}
