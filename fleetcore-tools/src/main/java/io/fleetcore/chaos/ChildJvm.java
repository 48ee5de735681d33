package io.fleetcore.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code java -jar fleetcore.jar <command>} as a child process, its output appended to a log file. */
final class ChildJvm {

    private ChildJvm() {
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(c -> c.endsWith("java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static List<String> command(Path jar, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child; every line it prints goes to {@code log} and, when given, to {@code lines}. */
    static Process start(List<String> command, Map<String, String> env, Path log, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            if (lines == null) {
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                return pb.start();
            }
            Process p = pb.start();
            Thread pump = new Thread(() -> pump(p, log, lines), "chaos-output-" + p.pid());
            pump.setDaemon(true);
            pump.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static void pump(Process p, Path log, Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                lines.accept(line);
            }
        } catch (IOException e) {
            // the child is gone; what it printed is in the log
        }
    }

    /** Runs a short command (kill, pg_ctlcluster, rabbitmqctl) and returns its exit code. */
    static int run(Path log, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
