package io.fleetcore;

import io.fleetcore.cli.FeedCommand;
import io.fleetcore.cli.HawtioCommand;
import io.fleetcore.cli.ParkedCommand;
import io.fleetcore.config.FleetcoreConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar fleetcore.jar} runs the core; sub-commands are the operator's commands. The test tooling
 * (simulate, audit, bench, chaos) is {@code fleetcore-tools.jar}.
 */
@Command(name = "fleetcore", mixinStandardHelpOptions = true,
        description = "IoT core for vehicle fleets: decode, store, never lose a record.",
        subcommands = {ParkedCommand.class, HawtioCommand.class, FeedCommand.class})
public final class Application implements Callable<Integer> {

    public static void main(String[] args) {
        applyLogLevels(FleetcoreConfig.load());
        System.exit(new CommandLine(new Application()).execute(args));
    }

    /** Logback reads these before its first logger exists; a level in ./application.properties counts too. */
    public static void applyLogLevels(FleetcoreConfig config) {
        System.setProperty("FLEETCORE_LOG_LEVEL", config.get("fleetcore.log.level", "INFO"));
        System.setProperty("FLEETCORE_ROOT_LOG_LEVEL", config.get("fleetcore.root-log-level", "INFO"));
    }

    @Override
    public Integer call() throws Exception {
        FleetcoreServer.create(FleetcoreConfig.load()).runUntilStopped();
        return 0;
    }
}
