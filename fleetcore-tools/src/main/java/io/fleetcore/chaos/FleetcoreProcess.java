package io.fleetcore.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fleetcore under test, as a child process that can be killed, paused, restarted. Tracks its peak
 * resident memory across restarts and notices when it exits without being told to.
 */
final class FleetcoreProcess {

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final List<Integer> ports;
    private Process process;
    private boolean expectedDown = true;
    private long peakRssKb;
    private int crashes;

    FleetcoreProcess(List<String> command, Map<String, String> env, Path log, List<Integer> ports) {
        this.command = command;
        this.env = env;
        this.log = log;
        this.ports = ports;
    }

    void start() {
        process = ChildJvm.start(command, env, log, null);
        expectedDown = false;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Exited on its own (crash, OOM, fatal error) rather than by a fault or shutdown of ours. */
    boolean exitedUnexpectedly() {
        return !expectedDown && process != null && !process.isAlive();
    }

    void countCrash() {
        crashes++;
        expectedDown = true;
    }

    int crashes() {
        return crashes;
    }

    /** Every gateway port accepts connections. */
    boolean ready() {
        if (!alive()) {
            return false;
        }
        for (int port : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    void kill9() throws InterruptedException {
        expectedDown = true;
        ChildJvm.run(log, "kill", "-9", String.valueOf(process.pid()));
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void pause() {
        ChildJvm.run(log, "kill", "-STOP", String.valueOf(process.pid()));
    }

    void resume() {
        ChildJvm.run(log, "kill", "-CONT", String.valueOf(process.pid()));
    }

    /** SIGTERM: fleetcore drains its in-flight exchanges and exits; kill -9 after the timeout. */
    boolean terminate(long timeoutSeconds) throws InterruptedException {
        expectedDown = true;
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return false;
    }

    /** Reads VmRSS and VmHWM of the running process; returns the current RSS in kB (0 when not running). */
    long sampleRssKb() {
        if (!alive()) {
            return 0;
        }
        try {
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, kb(line));
                } else if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                    peakRssKb = Math.max(peakRssKb, rss);
                }
            }
            return rss;
        } catch (IOException | RuntimeException e) {
            return 0; // exited between the check and the read, or no /proc
        }
    }

    long peakRssKb() {
        return peakRssKb;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
