package io.fleetcore.check;

import java.time.Instant;

/**
 * Something an operator should hear about. {@code kind} is {@code device} (an integrity rule crossed its
 * threshold: state {@code open}, or a clean window: {@code closed}), {@code service} (a heartbeat went
 * {@code down} or came back {@code up}) or {@code frame} (a frame whose content can never be stored was
 * ACKed and {@code kept} in rejected_frames; {@code rule} is the reason). {@code subject} is the device uid
 * or the service name.
 */
public record Alert(String kind, String state, String subject, String rule, long count, boolean critical,
                    String detail, String instance, Instant at) {

    public static Alert device(String state, String device, String rule, long count, boolean critical, String instance) {
        return new Alert("device", state, device, rule, count, critical,
                count + " in the integrity window", instance, Instant.now());
    }

    public static Alert service(String state, String service, String detail, String instance) {
        return new Alert("service", state, service, null, 0, true, detail, instance, Instant.now());
    }

    public static Alert frameKept(String protocol, String device, String reason, String detail) {
        return new Alert("frame", "kept", device, reason, 1, false, protocol + " frame ACKed and kept in rejected_frames: " + detail,
                null, Instant.now());
    }

    /** One line for the log. */
    public String summary() {
        return switch (kind) {
            case "device" -> "device " + subject + " rule " + rule + " " + state + " (" + detail + ")";
            case "frame" -> "device " + subject + " frame " + state + ", " + rule + " (" + detail + ")";
            default -> "service " + subject + " " + state + (detail == null ? "" : ": " + detail);
        };
    }
}
