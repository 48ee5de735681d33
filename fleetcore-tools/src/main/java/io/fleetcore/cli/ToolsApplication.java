package io.fleetcore.cli;

import io.fleetcore.Application;
import io.fleetcore.config.FleetcoreConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fleetcore-tools.jar <command>}: test tooling, not the product, and the Hawtio console (its own
 * JVM, with Jetty, beside a running fleetcore). The tools run the server jar ({@code target/fleetcore.jar}) as a
 * child process where they need a running fleetcore.
 */
@Command(name = "fleetcore-tools", mixinStandardHelpOptions = true,
        description = "fleetcore's tools: device simulator, ACK-ledger audit, benchmark, chaos run, Hawtio console.",
        subcommands = {SimulateCommand.class, AuditCommand.class, BenchCommand.class, ChaosCommand.class, HawtioCommand.class})
public final class ToolsApplication implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Application.applyLogLevels(FleetcoreConfig.load());
        System.exit(new CommandLine(new ToolsApplication()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }
}
