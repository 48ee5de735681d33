package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route steps {@code authorize-read} and {@code authorize-admin}: the {@code X-API-Key} header must name a
 * configured key (401 otherwise) whose role allows the request (a read key on a write: 403). The header is
 * removed once checked, so the key goes no further (not into a log, not back into the response). Without
 * any configured key (only allowed on a loopback bind) every request passes.
 */
public final class ApiAccess implements Processor {

    private final ApiKeys keys;
    private final ApiKeys.Role required;

    public ApiAccess(ApiKeys keys, ApiKeys.Role required) {
        this.keys = keys;
        this.required = required;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String key = in.getHeader(ExchangeNames.API_KEY_HEADER, String.class);
        in.removeHeader(ExchangeNames.API_KEY_HEADER);
        if (keys.isEmpty()) {
            in.setHeader(ExchangeNames.API_CLIENT, "loopback");
            return;
        }
        if (key == null || key.isBlank()) {
            throw ApiProblem.unauthorized("send an API key in header " + ExchangeNames.API_KEY_HEADER);
        }
        ApiKeys.Client client = keys.find(key.trim())
                .orElseThrow(() -> ApiProblem.unauthorized("the API key in header " + ExchangeNames.API_KEY_HEADER + " is not valid"));
        if (required == ApiKeys.Role.ADMIN && client.role() != ApiKeys.Role.ADMIN) {
            throw ApiProblem.forbidden("key '" + client.name() + "' may read only; this request needs an admin key");
        }
        in.setHeader(ExchangeNames.API_CLIENT, client.name());
    }
}
