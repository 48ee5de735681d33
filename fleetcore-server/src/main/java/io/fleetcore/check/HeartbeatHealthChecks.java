package io.fleetcore.check;

import java.util.List;
import java.util.stream.Stream;

/**
 * The heartbeat's readiness checks: {@code /observe/health} shows one check per watched service
 * ({@code fleetcore-postgresql}, {@code fleetcore-rabbitmq}, {@code fleetcore-gateway-json}, ...).
 */
public final class HeartbeatHealthChecks extends HealthCheckGroup {

    private final List<HeartbeatHealthCheck> checks;

    public HeartbeatHealthChecks(Heartbeat heartbeat) {
        super("fleetcore-heartbeats");
        this.checks = heartbeat.probes().stream().map(p -> new HeartbeatHealthCheck(heartbeat, p)).toList();
    }

    @Override
    protected Stream<HeartbeatHealthCheck> checks() {
        return checks.stream();
    }
}
