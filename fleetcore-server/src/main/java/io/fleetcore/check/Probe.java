package io.fleetcore.check;

import java.time.Duration;

/** One watched service. {@link #probe(Duration)} answers within about the timeout and never throws. */
public interface Probe {

    /** The service's name in health checks and {@code service_status}, e.g. {@code postgresql}, {@code gateway-json}. */
    String name();

    ProbeResult probe(Duration timeout);
}
