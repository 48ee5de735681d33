package io.fleetcore.check;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: fleetcore can only ACK what PostgreSQL committed, so it is not ready while the database does
 * not answer. Not a liveness check: a database outage must not make an orchestrator restart fleetcore.
 * Shown in {@code /observe/health} as {@code fleetcore-database}.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final int VALID_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("fleetcore", "fleetcore-database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(VALID_TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.message("PostgreSQL did not answer within " + VALID_TIMEOUT_SECONDS + " s").down();
            }
        } catch (Exception e) {
            builder.message("PostgreSQL unavailable: " + e.getMessage()).error(e).down();
        }
    }
}
