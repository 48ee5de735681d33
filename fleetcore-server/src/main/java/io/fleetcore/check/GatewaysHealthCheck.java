package io.fleetcore.check;

import io.fleetcore.gateway.GatewayConnections;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN once SIGTERM started draining the gateways, so a load balancer stops sending devices here
 * while the last frames are answered. Shows open connections and frames awaiting their reply.
 */
public final class GatewaysHealthCheck extends AbstractHealthCheck {

    private final GatewayConnections connections;

    public GatewaysHealthCheck(GatewayConnections connections) {
        super("fleetcore", "fleetcore-gateways");
        this.connections = connections;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("connections", connections.openConnections());
        builder.detail("unanswered-frames", connections.unansweredFrames());
        if (connections.isDraining()) {
            builder.message("shutting down: no new connections").down();
        } else {
            builder.up();
        }
    }
}
