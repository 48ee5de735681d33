package io.fleetcore.sim;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * CPU time of the fleetcore process and of the PostgreSQL backends serving it, from {@code /proc/<pid>/stat}
 * (user + system, clock ticks of 10 ms). A backend belongs to fleetcore when its client port is a socket the
 * fleetcore process holds, so the bench's own connections and other databases on the server are not counted.
 * On a system without {@code /proc} every figure is 0.
 */
final class CpuMeter {

    /** Linux USER_HZ: the unit of utime and stime in {@code /proc/<pid>/stat}. */
    static final double TICKS_PER_SECOND = 100.0;

    /**
     * CPU seconds of fleetcore and of its PostgreSQL backends at one moment; of fleetcore's, the seconds its
     * JIT compiler threads, its garbage collector's threads and its scheduled checks' threads have spent (a thread
     * that ended before the sample is in {@code fleetcoreSeconds} only, so the split is a lower bound).
     */
    record Sample(double fleetcoreSeconds, double jitSeconds, double gcSeconds, double checksSeconds,
                  Map<Integer, Double> backendSeconds) {

        /** PostgreSQL CPU between {@code before} and this: backends that left meanwhile are lost (the pool keeps them). */
        double postgresSecondsSince(Sample before) {
            double sum = 0;
            for (Map.Entry<Integer, Double> b : backendSeconds.entrySet()) {
                sum += b.getValue() - before.backendSeconds.getOrDefault(b.getKey(), 0.0);
            }
            return sum;
        }
    }

    private CpuMeter() {
    }

    static Sample sample(long fleetcorePid, DataSource db) {
        Map<Integer, Double> backends = new HashMap<>();
        for (int pid : backendsOf(fleetcorePid, db)) {
            backends.put(pid, cpuSeconds(pid));
        }
        double jit = 0;
        double gc = 0;
        double checks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(fleetcorePid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    switch (kind(command(stat))) {
                        case JIT -> jit += cpuSecondsOf(stat);
                        case GC -> gc += cpuSecondsOf(stat);
                        case CHECKS -> checks += cpuSecondsOf(stat);
                        case OTHER -> { }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: every figure is 0
        }
        return new Sample(cpuSeconds(fleetcorePid), jit, gc, checks, backends);
    }

    /** What a JVM thread does, by its name as the kernel keeps it (15 characters). */
    enum Kind { JIT, GC, CHECKS, OTHER }

    /**
     * HotSpot's compiler threads ("C1 CompilerThread0", "C2 CompilerThread1"), G1's ("GC Thread#0", "G1 Conc#0",
     * ...) and the Quartz threads that run fleetcore's scheduled checks (quality, heartbeat, retention):
     * "DefaultQuartzScheduler-fleetcore_Worker-1" on one instance, "fleetcore-quartz-1" when clustered.
     */
    static Kind kind(String command) {
        if (command.startsWith("C1 CompilerThre") || command.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (command.startsWith("GC Thread#") || command.startsWith("G1 ")) {
            return Kind.GC;
        }
        if (command.startsWith("DefaultQuartzSc") || command.startsWith("fleetcore-quart")) {
            return Kind.CHECKS;
        }
        return Kind.OTHER;
    }

    /** utime + stime of a process in seconds; 0 when it cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            return cpuSecondsOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime in seconds from the text of a {@code stat} file (of a process or of one of its threads). */
    static double cpuSecondsOf(String stat) {
        // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** The command name of a {@code stat} text: between the first '(' and the last ')'. */
    static String command(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** PostgreSQL backend pids whose client is a TCP socket of {@code pid}. */
    static Set<Integer> backendsOf(long pid, DataSource db) {
        Set<Integer> ports = localPorts(pid);
        Set<Integer> backends = new HashSet<>();
        if (ports.isEmpty()) {
            return backends;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select pid, client_port from pg_stat_activity where datname = current_database()");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (ports.contains(rs.getInt(2))) {
                    backends.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            return backends;
        }
        return backends;
    }

    /** Local TCP ports of the sockets a process holds (its fds matched by inode against /proc/net/tcp and tcp6). */
    private static Set<Integer> localPorts(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        String local = f[1];
                        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table
            }
        }
        return ports;
    }
}
