package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code write-page}: the rows of a page query (columns {@code doc}, one JSON object per row
 * made by PostgreSQL, and {@code cursor}, the row's position) into
 * {@code {"items": [...], "next": "<cursor>"|null}}. A full page has a {@code next}; the last one has null.
 */
public final class WritePage implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = in.getBody(List.class);
        int limit = in.getHeader(ExchangeNames.API_LIMIT, Integer.class);
        StringBuilder json = new StringBuilder(64 + rows.size() * 256).append("{\"items\":[");
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(rows.get(i).get("doc"));
        }
        json.append("],\"next\":");
        if (!rows.isEmpty() && rows.size() >= limit) {
            json.append('"').append(ApiParameters.encodeCursor(String.valueOf(rows.get(rows.size() - 1).get("cursor")))).append('"');
        } else {
            json.append("null");
        }
        in.removeHeaders("*");
        in.setBody(json.append('}').toString());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
