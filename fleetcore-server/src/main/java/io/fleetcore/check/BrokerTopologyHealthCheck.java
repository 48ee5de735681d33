package io.fleetcore.check;

import io.fleetcore.broker.BrokerConnection;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the broker refused fleetcore's exchange or queues (declared elsewhere with other arguments,
 * another exchange type), so a dead-letter publish could reach no queue. DOWN until a retried declare
 * succeeds. A broker that is merely away does not make it DOWN: devices are ACKed after commit meanwhile.
 * Shown in {@code /observe/health} as {@code fleetcore-broker-topology}.
 */
public final class BrokerTopologyHealthCheck extends AbstractHealthCheck {

    private final BrokerConnection broker;

    public BrokerTopologyHealthCheck(BrokerConnection broker) {
        super("fleetcore", "fleetcore-broker-topology");
        this.broker = broker;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        broker.topologyProblem().ifPresentOrElse(problem -> builder.message(problem).down(), builder::up);
    }
}
