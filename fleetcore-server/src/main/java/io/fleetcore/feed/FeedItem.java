package io.fleetcore.feed;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One message of a feed, ready to send: {@code body} is the versioned JSON message in UTF-8 (sent as it is;
 * {@link #json()} is the same as text), {@code key} the routing key ({@code <protocol>.<device_uid>} for records,
 * {@code <kind>.<state>} for events), {@code device} the device uid or event subject (a Kafka key), {@code stored}
 * when its (last) row was stored. It carries the rows {@code firstId} to {@code id}: one row, or a device's
 * records of a batch ({@link RecordMessages}).
 */
public record FeedItem(long firstId, long id, String key, String device, Instant stored, byte[] body) {

    /** A message of one row. */
    public FeedItem(long id, String key, String device, Instant stored, byte[] body) {
        this(id, id, key, device, stored, body);
    }

    /** The message as text (route files: {@code ${body.json}}). */
    public String json() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Deterministic message id on {@code exchange}: {@code exchange:id}, or {@code exchange:firstId-id}. */
    public String messageId(String exchange) {
        return exchange + ":" + (firstId == id ? Long.toString(id) : firstId + "-" + id);
    }
}
