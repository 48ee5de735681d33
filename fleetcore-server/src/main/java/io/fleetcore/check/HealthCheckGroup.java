package io.fleetcore.check;

import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

/**
 * Several of fleetcore's health checks as one repository: camel-main registers every
 * {@link HealthCheckRepository} bean it finds, so {@code /observe/health} shows each check of the group.
 */
public abstract class HealthCheckGroup implements HealthCheckRepository, CamelContextAware {

    private final String id;
    private CamelContext camelContext;
    private boolean enabled = true;

    protected HealthCheckGroup(String id) {
        this.id = id;
    }

    /** The checks of the group right now; each gets the Camel context before it is called. */
    protected abstract Stream<? extends HealthCheck> checks();

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final boolean isEnabled() {
        return enabled;
    }

    @Override
    public final void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public final Stream<HealthCheck> stream() {
        return enabled ? checks().map(c -> {
            if (c instanceof CamelContextAware aware && aware.getCamelContext() == null) {
                aware.setCamelContext(camelContext);
            }
            return (HealthCheck) c;
        }) : Stream.empty();
    }

    @Override
    public final CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public final void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
