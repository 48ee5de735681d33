package io.fleetcore.cli;

import io.fleetcore.broker.BrokerConnection;
import io.fleetcore.broker.EmbeddedBroker;
import io.fleetcore.broker.ParkedMessages;
import io.fleetcore.config.FleetcoreConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fleetcore parked list} and {@code fleetcore parked replay}: the messages the database kept refusing.
 * Talks to the configured broker; with {@code FLEETCORE_AMQP_URI} empty, to the embedded broker of a running
 * fleetcore, or it opens the embedded broker's store itself when fleetcore is not running.
 */
@Command(name = "parked", mixinStandardHelpOptions = true,
        description = "Messages parked after fleetcore.max-attempts refused stores.",
        subcommands = {ParkedCommand.ListParked.class, ParkedCommand.ReplayParked.class})
public final class ParkedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Shows every parked message (device, records, attempts, error).")
    static final class ListParked implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<ParkedMessages.Parked> parked = withParked(FleetcoreConfig.load(), ParkedMessages::list);
            out.printf("%-24s %7s %8s  %-24s  %s%n", "DEVICE", "RECORDS", "ATTEMPTS", "FIRST FAILURE", "LAST ERROR");
            for (ParkedMessages.Parked p : parked) {
                out.printf("%-24s %7d %8d  %-24s  %s%n", p.device(), p.records(), p.attempts(), p.firstFailure(), p.lastError());
            }
            out.printf("%d parked message(s)%n", parked.size());
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Moves every parked message back to the retry queue.")
    static final class ReplayParked implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            int moved = withParked(FleetcoreConfig.load(), ParkedMessages::replay);
            spec.commandLine().getOut().printf("%d message(s) moved back to the retry queue%n", moved);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    interface ParkedAction<T> {
        T apply(ParkedMessages parked) throws Exception;
    }

    static <T> T withParked(FleetcoreConfig config, ParkedAction<T> action) throws Exception {
        String uri = config.amqpUri();
        EmbeddedBroker embedded = null;
        if (uri.isEmpty()) {
            int port = config.getInt("fleetcore.amqp.embedded-port");
            if (listening(port)) {
                uri = EmbeddedBroker.uri(config.dataDir().resolve("broker"), "127.0.0.1", port);
            } else {
                embedded = BrokerConnection.startEmbedded(config);
                uri = embedded.uri();
            }
        }
        CachingConnectionFactory factory = BrokerConnection.factory(uri, config.getInt("fleetcore.amqp.connect-timeout-ms"));
        try {
            ParkedMessages parked = new ParkedMessages(factory.getRabbitConnectionFactory(), BrokerConnection.topology(config),
                    Duration.ofMillis(config.getLong("fleetcore.amqp.confirm-timeout-ms")));
            return action.apply(parked);
        } finally {
            factory.destroy();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
