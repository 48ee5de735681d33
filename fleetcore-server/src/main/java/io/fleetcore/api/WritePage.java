package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code write-page}: the rows of a page query (columns {@code doc}, one JSON object per row
 * made by PostgreSQL, and {@code cursor}, the row's position) into
 * {@code {"items": [...], "next": "<cursor>"|null}}. A full page has a {@code next}; the last one has null.
 * A row's optional {@link #MORE} holds members an earlier step adds at the end of its object (text starting with
 * a comma). The page is written once, into one array of its exact size (a doc or a member text is a String, or
 * UTF-8 bytes as {@link PageRows} reads them), and handed to the HTTP server as a buffer over that array, so a
 * page of a megabyte is not copied again on its way out.
 */
public final class WritePage implements Processor {

    /** The column holding a row's JSON object. */
    public static final String DOC = "doc";

    /** The row key of members added at the end of the row's object (UTF-8 bytes or a String, from a comma on). */
    public static final String MORE = "doc_more";

    private static final byte[] OPEN = "{\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEXT = "],\"next\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = in.getBody(List.class);
        int limit = in.getHeader(ExchangeNames.API_LIMIT, Integer.class);
        byte[][] docs = new byte[rows.size()][];
        byte[][] more = new byte[rows.size()][];
        int size = OPEN.length + NEXT.length + Math.max(0, rows.size() - 1);
        for (int i = 0; i < rows.size(); i++) {
            docs[i] = utf8(rows.get(i).get(DOC));
            more[i] = utf8(rows.get(i).get(MORE));
            size += docs[i].length + (more[i] == null ? 0 : more[i].length);
        }
        byte[] next = !rows.isEmpty() && rows.size() >= limit
                ? ("\"" + ApiParameters.encodeCursor(String.valueOf(rows.get(rows.size() - 1).get("cursor"))) + "\"}").getBytes(StandardCharsets.UTF_8)
                : NULL;
        byte[] page = new byte[size + next.length];
        int at = put(OPEN, page, 0);
        for (int i = 0; i < docs.length; i++) {
            if (i > 0) {
                page[at++] = ',';
            }
            if (more[i] == null) {
                at = put(docs[i], page, at);
            } else {
                System.arraycopy(docs[i], 0, page, at, docs[i].length - 1);
                at = put(more[i], page, at + docs[i].length - 1);
                page[at++] = '}';
            }
        }
        at = put(next, page, put(NEXT, page, at));
        in.removeHeaders("*");
        in.setBody(Buffer.buffer(Unpooled.wrappedBuffer(page, 0, at)));
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static byte[] utf8(Object text) {
        return text == null || text instanceof byte[] ? (byte[]) text : text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int put(byte[] bytes, byte[] page, int at) {
        System.arraycopy(bytes, 0, page, at, bytes.length);
        return at + bytes.length;
    }
}
