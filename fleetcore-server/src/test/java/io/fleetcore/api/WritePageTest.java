package io.fleetcore.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.ExchangeNames;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** {@code write-page}: the page's exact bytes from docs given as text or as UTF-8 bytes, with and without extra members. */
class WritePageTest {

    @Test
    void writesTheRowsDocsAndTheirExtraMembersIntoOnePage() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("{\"id\": \"ä-1\"}", ",\"io_named\":{\"x\": 1}", "ä-1"));
        rows.add(row("{\"id\": \"b\"}".getBytes(StandardCharsets.UTF_8), ",\"io_named\":{}".getBytes(StandardCharsets.UTF_8), "b"));
        rows.add(row("{\"id\": \"c\"}".getBytes(StandardCharsets.UTF_8), null, "c"));

        assertThat(write(rows, 3)).isEqualTo("{\"items\":[{\"id\": \"ä-1\",\"io_named\":{\"x\": 1}},{\"id\": \"b\",\"io_named\":{}},"
                + "{\"id\": \"c\"}],\"next\":\"" + ApiParameters.encodeCursor("c") + "\"}");
        assertThat(write(rows, 4)).as("a page shorter than its limit is the last").endsWith("{\"id\": \"c\"}],\"next\":null}");
    }

    @Test
    void anEmptyPage() {
        assertThat(write(new ArrayList<>(), 10)).isEqualTo("{\"items\":[],\"next\":null}");
    }

    private static Map<String, Object> row(Object doc, Object more, String cursor) {
        Map<String, Object> row = new HashMap<>();
        row.put(WritePage.DOC, doc);
        row.put(WritePage.MORE, more);
        row.put("cursor", cursor);
        return row;
    }

    private static String write(List<Map<String, Object>> rows, int limit) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(rows);
        exchange.getMessage().setHeader(ExchangeNames.API_LIMIT, limit);
        new WritePage().process(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        Buffer page = exchange.getMessage().getBody(Buffer.class);
        return page.toString(StandardCharsets.UTF_8);
    }
}
