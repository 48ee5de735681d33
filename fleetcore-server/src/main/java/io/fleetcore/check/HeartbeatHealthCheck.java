package io.fleetcore.check;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of one watched service, from the heartbeat's latest answer ({@code /observe/health}). */
public final class HeartbeatHealthCheck extends AbstractHealthCheck {

    private final Heartbeat heartbeat;
    private final Probe probe;

    public HeartbeatHealthCheck(Heartbeat heartbeat, Probe probe) {
        super("fleetcore-" + probe.name());
        this.heartbeat = heartbeat;
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ProbeResult r = heartbeat.current(probe);
        builder.detail("service", r.service());
        builder.detail("detail", r.detail());
        builder.detail("checked_at", r.at().toString());
        builder.message(r.detail());
        if (r.up()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
