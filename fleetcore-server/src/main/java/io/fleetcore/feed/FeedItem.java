package io.fleetcore.feed;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One row of a feed's source, ready to send: {@code body} is the versioned JSON message in UTF-8 (sent as it is;
 * {@link #json()} is the same as text), {@code key} the routing key ({@code <protocol>.<device_uid>} for records,
 * {@code <kind>.<state>} for events), {@code device} the device uid or event subject (a Kafka key), {@code stored}
 * when the row was stored.
 */
public record FeedItem(long id, String key, String device, Instant stored, byte[] body) {

    /** The message as text (route files: {@code ${body.json}}). */
    public String json() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
