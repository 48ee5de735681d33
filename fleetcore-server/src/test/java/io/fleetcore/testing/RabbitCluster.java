package io.fleetcore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of its own on loopback, from the installed {@code rabbitmq-server}: nodes
 * {@code fc1@localhost}, {@code fc2@localhost}, … with their own AMQP and distribution ports, data, logs and
 * configuration under one folder, no plugins (or only {@code rabbitmq_management}, on a loopback port of each
 * node's own: {@link #startWithManagement}), and an Erlang cookie of their own (HOME points into that folder).
 * The machine's own RabbitMQ node is never addressed: every command names one of these nodes.
 */
public final class RabbitCluster implements AutoCloseable {

    static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");

    /** One node: its name, AMQP port and management HTTP port (0 without the management plugin). */
    public record Node(String name, int port, Path dir, Process process, int managementPort) {
    }

    private final Path dir;
    private final boolean management;
    private final List<Node> nodes = new ArrayList<>();

    private RabbitCluster(Path dir, boolean management) {
        this.dir = dir;
        this.management = management;
    }

    /** Starts {@code size} nodes and joins them to the first; returns when all are up and clustered. */
    public static RabbitCluster start(Path dir, int size) throws Exception {
        return start(dir, size, false);
    }

    /** As {@link #start}, with the {@code rabbitmq_management} plugin on every node (its HTTP API on loopback). */
    public static RabbitCluster startWithManagement(Path dir, int size) throws Exception {
        return start(dir, size, true);
    }

    private static RabbitCluster start(Path dir, int size, boolean management) throws Exception {
        RabbitCluster cluster = new RabbitCluster(dir.toAbsolutePath(), management);
        try {
            cluster.create(size);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void create(int size) throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Path cookie = home.resolve(".erlang.cookie");
        Files.deleteIfExists(cookie);
        Files.writeString(cookie, "FLEETCORETESTCLUSTER" + ProcessHandle.current().pid());
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        Files.writeString(dir.resolve("enabled_plugins"), management ? "[rabbitmq_management].\n" : "[].\n");
        for (int i = 1; i <= size; i++) {
            String name = "fc" + i + "@localhost";
            int port = TestServices.freePort();
            int dist = TestServices.freePort();
            int http = management ? TestServices.freePort() : 0;
            Path nodeDir = dir.resolve("fc" + i);
            Files.createDirectories(nodeDir);
            Path conf = nodeDir.resolve("rabbitmq.conf");
            Files.writeString(conf, "listeners.tcp.default = 127.0.0.1:" + port + "\n"
                    + "loopback_users.guest = true\n"
                    + "cluster_partition_handling = pause_minority\n"
                    + (management ? "management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = " + http + "\n" : ""));
            Map<String, String> env = env();
            env.put("RABBITMQ_NODENAME", name);
            env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
            env.put("RABBITMQ_DIST_PORT", String.valueOf(dist));
            env.put("RABBITMQ_MNESIA_BASE", nodeDir.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", nodeDir.resolve("log").toString());
            env.put("RABBITMQ_CONFIG_FILE", conf.toString());
            env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
            env.put("RABBITMQ_PID_FILE", nodeDir.resolve("pid").toString());
            ProcessBuilder pb = new ProcessBuilder(BIN.resolve("rabbitmq-server").toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("console.log").toFile());
            pb.environment().putAll(env);
            nodes.add(new Node(name, port, nodeDir, pb.start(), http));
        }
        for (Node n : nodes) {
            awaitStartup(n);
        }
        for (Node n : nodes.subList(1, nodes.size())) {
            ctl(n.name(), 120, "stop_app");
            ctl(n.name(), 120, "join_cluster", nodes.get(0).name());
            ctl(n.name(), 120, "start_app");
        }
        String status = ctl(nodes.get(0).name(), 60, "cluster_status");
        for (Node n : nodes) {
            if (!status.contains(n.name())) {
                throw new IllegalStateException(n.name() + " is not in the cluster:\n" + status);
            }
        }
    }

    /** A node is reachable by the CLI only once it registered with epmd: retry until then, then await its boot. */
    private void awaitStartup(Node n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (true) {
            try {
                ctl(n.name(), 120, "await_startup", "--timeout", "110");
                return;
            } catch (IllegalStateException e) {
                if (!n.process().isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(n.name() + " did not start; see " + n.dir().resolve("console.log"), e);
                }
                Thread.sleep(1000);
            }
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        return env;
    }

    /** Runs {@code rabbitmqctl -n node args…} and returns its output; fails when it fails. */
    public String ctl(String node, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        return tool("rabbitmqctl", node, timeoutSeconds, args);
    }

    private String tool(String tool, String node, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BIN.resolve(tool).toString(), "-n", node));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("ctl-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,…} for {@code fleetcore.amqp.addresses}. */
    public String addresses() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public String uri() {
        return "amqp://guest:guest@127.0.0.1:" + nodes.get(0).port() + "/";
    }

    /** The node that leads a quorum queue (asked of a node that is running). */
    public String leaderOf(String queue, String askNode) throws IOException, InterruptedException {
        String out = ctl(askNode, 60, "list_queues", "-q", "--no-table-headers", "name", "leader");
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[0].equals(queue)) {
                return cols[1];
            }
        }
        throw new IllegalStateException("queue " + queue + " not listed by " + askNode + ":\n" + out);
    }

    /** Stops one node (the others keep the quorum queues available). */
    public void stop(String node) throws IOException, InterruptedException {
        ctl(node, 120, "stop");
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            try {
                if (n.process().isAlive()) {
                    ctl(n.name(), 60, "stop");
                }
            } catch (Exception e) {
                // fall through to killing it
            }
            n.process().descendants().forEach(ProcessHandle::destroyForcibly);
            n.process().destroyForcibly();
        }
    }
}
