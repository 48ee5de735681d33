package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Command-line durations in the configuration's form: {@code 500ms}, {@code 30s}, {@code 2m}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return FleetcoreConfig.parseDuration("option", value);
    }
}
