package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Route step {@code write-device}: the one JSON object a query found, or 404 when it found none. */
public final class WriteOne implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String doc = in.getBody(String.class);
        if (doc == null || doc.isBlank()) {
            throw ApiProblem.notFound("no device '" + in.getHeader(ExchangeNames.API_DEVICE_ID, String.class) + "'");
        }
        in.removeHeaders("*");
        in.setBody(doc);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
