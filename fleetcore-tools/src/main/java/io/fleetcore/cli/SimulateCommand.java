package io.fleetcore.cli;

import io.fleetcore.sim.Simulator;
import io.fleetcore.sim.Simulator.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcore simulate}: a fleet of simulated devices against a running fleetcore. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulated devices, each on its own TCP connection, that keep every packet until it is ACKed.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "fleetcore host (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", description = "gateway port (default: 5027 teltonika, 2006 json)")
    Integer port;

    @Option(names = "--protocol", defaultValue = "teltonika", description = "teltonika|json (default ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--codec", defaultValue = "8e", description = "Teltonika codec: 8|8e (default ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--devices", defaultValue = "100", description = "devices, one connection each (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--records-per-packet", defaultValue = "1", description = "records per packet (default ${DEFAULT-VALUE})")
    int recordsPerPacket;

    @Option(names = "--rate", defaultValue = "0", description = "records/s in total; 0 = as fast as ACKs allow (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", converter = DurationConverter.class, description = "how long to send (default 30s unless --records)")
    Duration duration;

    @Option(names = "--records", defaultValue = "0", description = "records to send in total, instead of a duration")
    long records;

    @Option(names = "--ledger", description = "ACK ledger file: one 'device,fix-time' line per ACKed record")
    Path ledger;

    @Option(names = "--ack-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "a device resends (after a reconnect) when no ACK came within this (default ${DEFAULT-VALUE})")
    Duration ackTimeout;

    @Option(names = "--ramp-up", defaultValue = "1s", converter = DurationConverter.class,
            description = "connections are opened spread over this time (default ${DEFAULT-VALUE})")
    Duration rampUp;

    @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class,
            description = "sent and ledgered but not counted in rate and latency (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--threads", defaultValue = "2", description = "event-loop threads for all devices (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--progress", defaultValue = "1s", converter = DurationConverter.class,
            description = "interval of the progress line (default ${DEFAULT-VALUE})")
    Duration progress;

    @Override
    public Integer call() throws Exception {
        Simulator.Settings settings = settings();
        System.out.printf(Locale.ROOT, "simulate: %d %s devices -> %s:%d, %d record(s)/packet, rate %s%n",
                settings.devices(), protocol, settings.host(), settings.port(), settings.recordsPerPacket(),
                rate <= 0 ? "as fast as ACKs allow" : String.format(Locale.ROOT, "%.0f/s", rate));
        Simulator.Result result = new Simulator(settings, System.out).run();
        System.out.println(result.summary());
        if (ledger != null) {
            System.out.println("simulate: ledger " + ledger.toAbsolutePath() + " (" + result.acked() + " lines)");
        }
        return result.drained() ? 0 : 2;
    }

    Simulator.Settings settings() {
        Protocol p = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "teltonika" -> Protocol.TELTONIKA;
            case "json" -> Protocol.JSON;
            default -> throw new IllegalArgumentException("--protocol must be teltonika or json, got " + protocol);
        };
        boolean extended = switch (codec.toLowerCase(Locale.ROOT)) {
            case "8" -> false;
            case "8e" -> true;
            default -> throw new IllegalArgumentException("--codec must be 8 or 8e, got " + codec);
        };
        int thePort = port != null ? port : p == Protocol.TELTONIKA ? 5027 : 2006;
        Duration d = duration == null && records <= 0 ? Duration.ofSeconds(30) : duration;
        return new Simulator.Settings(host, thePort, p, devices, recordsPerPacket, rate, d, records, ledger,
                ackTimeout, rampUp, warmup, extended, threads, progress);
    }
}
