package io.fleetcore.cli;

import com.rabbitmq.client.Connection;
import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.broker.DeviceCommandClient;
import io.fleetcore.broker.DeviceCommandClient.Result;
import io.fleetcore.broker.EmbeddedBroker;
import io.fleetcore.config.FleetcoreConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fleetcore command IMEI "getinfo"}: sends a text command to a connected device (Teltonika: Codec 12)
 * through the broker, to whichever instance holds the device's connection, and prints the device's response.
 * Exit 0 with the response; 3 when no instance holds the device, 4 when it did not answer in time, 5 when a
 * command is already in flight on its connection, 1 otherwise (connection closed, damaged answer).
 */
@Command(name = "command", mixinStandardHelpOptions = true,
        description = "Sends a text command to a connected device (Teltonika Codec 12) and prints its response.")
public final class CommandCommand implements Callable<Integer> {

    static final int OFFLINE = 3;
    static final int TIMEOUT = 4;
    static final int BUSY = 5;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE", description = "the device's id (Teltonika: its IMEI)")
    String device;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "the command text, e.g. getinfo")
    String command;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "seconds to wait for the device's answer (default: fleetcore.commands.timeout)")
    Double timeoutSeconds;

    private final FleetcoreConfig config;

    public CommandCommand() {
        this(null);
    }

    /** With {@code config} instead of the environment's (tests). */
    public CommandCommand(FleetcoreConfig config) {
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        FleetcoreConfig cfg = config != null ? config : FleetcoreConfig.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration timeout = timeoutSeconds == null ? cfg.getDuration("fleetcore.commands.timeout")
                : Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        String uri = cfg.amqpUri();
        if (uri.isEmpty()) {
            int port = cfg.getInt("fleetcore.amqp.embedded-port");
            if (!ParkedCommand.listening(port)) {
                err.printf("fleetcore is not running: no embedded broker on port %d (FLEETCORE_AMQP_URI is empty)%n", port);
                err.flush();
                return OFFLINE;
            }
            uri = EmbeddedBroker.uri(cfg.dataDir().resolve("broker"), "127.0.0.1", port);
        }
        CachingConnectionFactory factory = BrokerConnection.factory(uri, cfg.getInt("fleetcore.amqp.connect-timeout-ms"));
        try (Connection connection = factory.getRabbitConnectionFactory().newConnection("fleetcore-command")) {
            Result result = new DeviceCommandClient(cfg.get("fleetcore.commands.exchange")).send(connection, device, command, timeout);
            if (result.status() == DeviceCommandClient.Status.OK) {
                out.println(result.text());
                out.flush();
                return 0;
            }
            err.println(result.text());
            err.flush();
            return switch (result.status()) {
                case OFFLINE -> OFFLINE;
                case TIMEOUT -> TIMEOUT;
                case BUSY -> BUSY;
                default -> 1;
            };
        } finally {
            factory.destroy();
        }
    }
}
