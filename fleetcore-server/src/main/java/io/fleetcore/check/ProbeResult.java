package io.fleetcore.check;

import java.time.Instant;

/** A probe's answer: up or down, why, and when it was asked. */
public record ProbeResult(String service, boolean up, String detail, Instant at) {

    public static ProbeResult up(String service, String detail) {
        return new ProbeResult(service, true, detail, Instant.now());
    }

    public static ProbeResult down(String service, String detail) {
        return new ProbeResult(service, false, detail, Instant.now());
    }

    public String status() {
        return up ? "UP" : "DOWN";
    }
}
