package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.sql.SqlConstants;

/**
 * Route steps {@code require-new-device} (an insert that changed nothing: the device exists, 409) and
 * {@code require-known-device} (an update that changed nothing: no such device, 404).
 */
public final class RequireUpdated implements Processor {

    private final Function<String, ApiProblem> problem;

    private RequireUpdated(Function<String, ApiProblem> problem) {
        this.problem = problem;
    }

    public static RequireUpdated newDevice() {
        return new RequireUpdated(id -> ApiProblem.conflict("device '" + id + "' is already registered"));
    }

    public static RequireUpdated knownDevice() {
        return new RequireUpdated(id -> ApiProblem.notFound("no device '" + id + "'"));
    }

    @Override
    public void process(Exchange exchange) {
        Integer updated = exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class);
        if (updated == null || updated == 0) {
            throw problem.apply(exchange.getMessage().getHeader(ExchangeNames.API_DEVICE_ID, String.class));
        }
    }
}
