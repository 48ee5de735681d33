package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code read-page}: query parameters {@code limit} (default and maximum per endpoint) and
 * {@code cursor} (the previous page's {@code next}) into headers {@link ExchangeNames#API_LIMIT}, {@link ExchangeNames#API_CURSOR} and,
 * for positions, {@link ExchangeNames#API_CURSOR_TIE}. Without a cursor the page starts at the beginning.
 */
public final class ReadPage implements Processor {

    /** What a cursor holds: a device id, a numeric id (newest first), or a fix time and content hash. */
    public enum Kind { DEVICE, NEWEST_ID, TIME }

    private final int defaultLimit;
    private final int maxLimit;
    private final Kind kind;

    public ReadPage(int defaultLimit, int maxLimit, Kind kind) {
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
        this.kind = kind;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setHeader(ExchangeNames.API_LIMIT, ApiParameters.limit(in.getHeader("limit", String.class), defaultLimit, maxLimit));
        String cursor = in.getHeader("cursor", String.class);
        String key;
        String tie = "";
        if (cursor == null || cursor.isBlank()) {
            key = switch (kind) {
                case DEVICE -> "";
                case NEWEST_ID -> String.valueOf(Long.MAX_VALUE);
                case TIME -> "-infinity";
            };
        } else {
            String text = ApiParameters.decodeCursor(cursor);
            key = text;
            switch (kind) {
                case DEVICE -> ApiParameters.deviceId("cursor", text);
                case NEWEST_ID -> {
                    if (!text.matches("[0-9]{1,19}")) {
                        throw ApiParameters.badCursor();
                    }
                }
                case TIME -> {
                    int bar = text.indexOf('|');
                    if (bar < 0) {
                        throw ApiParameters.badCursor();
                    }
                    key = text.substring(0, bar);
                    tie = text.substring(bar + 1);
                    try {
                        Instant.parse(key);
                    } catch (DateTimeParseException e) {
                        throw ApiParameters.badCursor();
                    }
                }
            }
        }
        in.setHeader(ExchangeNames.API_CURSOR, key);
        in.setHeader(ExchangeNames.API_CURSOR_TIE, tie);
    }
}
