package io.fleetcore.feed;

import java.time.Instant;

/**
 * One row of a feed's source, ready to send: {@code json} is the versioned message, {@code key} the routing
 * key ({@code <protocol>.<device_uid>} for records, {@code <kind>.<state>} for events), {@code device} the device
 * uid or event subject (a Kafka key), {@code stored} when the row was stored.
 */
public record FeedItem(long id, String key, String device, Instant stored, String json) {
}
