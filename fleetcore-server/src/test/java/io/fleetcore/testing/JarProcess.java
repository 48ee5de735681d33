package io.fleetcore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/fleetcore.jar ...} as a child process, the way an operator runs it: its own JVM,
 * environment variables for settings, output in a log file, SIGTERM to stop. For ITs (failsafe runs after
 * {@code package}, so the jar exists).
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private JarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static Path jar() {
        return jar("fleetcore.jar");
    }

    /** {@code name} (fleetcore.jar, fleetcore-tools.jar) in the build folder. */
    public static Path jar(String name) {
        Path jar = Path.of(TestServices.buildDir(), name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: ITs run after package (./mvnw verify)");
        }
        return jar;
    }

    public static JarProcess start(List<String> args, Map<String, String> env, Path log) throws IOException {
        return start(jar(), args, env, log);
    }

    /** {@code java -jar JAR args...}. */
    public static JarProcess start(Path jar, List<String> args, Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Djava.io.tmpdir=" + Path.of(TestServices.buildDir()).toAbsolutePath(), "-jar", jar.toString()));
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new JarProcess(pb.start(), log);
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits until the process listens on {@code port}; fails with the process's log otherwise. */
    public void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!TestServices.reachable("127.0.0.1", port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before port " + port + " opened:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " not open after " + timeout + ":\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM; the exit code, or -1 when it had not exited within {@code timeout} (then it is killed). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(30));
        }
    }
}
