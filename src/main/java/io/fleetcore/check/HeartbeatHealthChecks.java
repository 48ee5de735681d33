package io.fleetcore.check;

import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

/**
 * The heartbeat's readiness checks as one repository: camel-main registers every
 * {@link HealthCheckRepository} bean it finds, so {@code /observe/health} shows one check per watched service
 * ({@code fleetcore-postgresql}, {@code fleetcore-rabbitmq}, {@code fleetcore-gateway-json}, ...).
 */
public final class HeartbeatHealthChecks implements HealthCheckRepository, CamelContextAware {

    private final List<HeartbeatHealthCheck> checks;
    private CamelContext camelContext;
    private boolean enabled = true;

    public HeartbeatHealthChecks(Heartbeat heartbeat) {
        this.checks = heartbeat.probes().stream().map(p -> new HeartbeatHealthCheck(heartbeat, p)).toList();
    }

    @Override
    public String getId() {
        return "fleetcore-heartbeats";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return enabled ? checks.stream().map(HealthCheck.class::cast) : Stream.empty();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        checks.forEach(c -> c.setCamelContext(camelContext));
    }
}
