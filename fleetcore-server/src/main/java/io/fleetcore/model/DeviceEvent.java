package io.fleetcore.model;

/**
 * Something a device reported as happening (a crash, towing, jamming, harsh driving), raised by one record:
 * {@code kind} is the canonical name of the alarm ({@link Keys}), {@code value} the raw value the device sent
 * with it (a crash's type, an overspeed's speed). Stored as a row of {@code device_events} and put on the
 * events feed (docs/schema.md).
 */
public record DeviceEvent(String kind, long value) {

    public DeviceEvent {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("kind is required");
        }
    }
}
