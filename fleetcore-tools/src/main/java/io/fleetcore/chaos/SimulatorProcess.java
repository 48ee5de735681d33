package io.fleetcore.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code fleetcore simulate} child: its devices keep every record until it is ACKed and write what
 * was ACKed to a ledger. Its progress lines ({@code acked=N}) feed the ACK timeline; its summary line
 * ({@code sent=N}) the report.
 */
final class SimulatorProcess {

    private static final Pattern ACKED = Pattern.compile("\\backed=(\\d+)");
    private static final Pattern SENT = Pattern.compile("\\bsent=(\\d+)");

    private final String protocol;
    private final Path ledger;
    private final Process process;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    SimulatorProcess(String protocol, Path ledger, List<String> command, Path log) {
        this.protocol = protocol;
        this.ledger = ledger;
        this.process = ChildJvm.start(command, Map.of(), log, this::line);
    }

    private void line(String line) {
        Matcher a = ACKED.matcher(line);
        if (a.find()) {
            acked.accumulateAndGet(Long.parseLong(a.group(1)), Math::max);
        }
        Matcher s = SENT.matcher(line);
        if (line.startsWith("simulate:") && s.find()) {
            sent.set(Long.parseLong(s.group(1)));
        }
    }

    String protocol() {
        return protocol;
    }

    Path ledger() {
        return ledger;
    }

    long acked() {
        return acked.get();
    }

    long sent() {
        return sent.get();
    }

    boolean running() {
        return process.isAlive();
    }

    /** Exit code 0: every device got all its records ACKed before it stopped. */
    boolean drained() {
        return !process.isAlive() && process.exitValue() == 0;
    }

    void destroy() {
        process.destroyForcibly();
    }
}
