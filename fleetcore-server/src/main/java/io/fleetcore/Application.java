package io.fleetcore;

import io.fleetcore.cli.CommandCommand;
import io.fleetcore.cli.FeedCommand;
import io.fleetcore.cli.ParkedCommand;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.config.Plugins;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar fleetcore.jar} runs the core; sub-commands are the operator's commands. The test tooling
 * (simulate, audit, bench, chaos) and the Hawtio console are {@code fleetcore-tools.jar}.
 */
@Command(name = "fleetcore", mixinStandardHelpOptions = true,
        description = "IoT core for vehicle fleets: decode, store, never lose a record.",
        subcommands = {ParkedCommand.class, FeedCommand.class, CommandCommand.class})
public final class Application implements Callable<Integer> {

    /** the values of fleetcore.log.format: the names of logback.xml's console appenders */
    static final List<String> LOG_FORMATS = List.of("text", "json");

    public static void main(String[] args) {
        try {
            FleetcoreConfig config = FleetcoreConfig.load();
            applyLogLevels(config);
            Plugins.install(config);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("fleetcore: " + e.getMessage());
            System.exit(2);
        }
        System.exit(new CommandLine(new Application()).execute(args));
    }

    /**
     * Logback reads these before its first logger exists; a level or format in ./application.properties counts
     * too. The format names one of logback.xml's appenders, so anything but {@code text} or {@code json} is
     * refused here: logback would otherwise log nothing at all.
     */
    public static void applyLogLevels(FleetcoreConfig config) {
        String format = config.get("fleetcore.log.format", "text").trim();
        if (!LOG_FORMATS.contains(format)) {
            throw new IllegalArgumentException("fleetcore.log.format (FLEETCORE_LOG_FORMAT) is '" + format
                    + "'; it must be one of " + LOG_FORMATS);
        }
        System.setProperty("FLEETCORE_LOG_FORMAT", format);
        System.setProperty("FLEETCORE_LOG_LEVEL", config.get("fleetcore.log.level", "INFO"));
        System.setProperty("FLEETCORE_ROOT_LOG_LEVEL", config.get("fleetcore.root-log-level", "INFO"));
    }

    @Override
    public Integer call() throws Exception {
        FleetcoreServer.create(FleetcoreConfig.load()).runUntilStopped();
        return 0;
    }
}
