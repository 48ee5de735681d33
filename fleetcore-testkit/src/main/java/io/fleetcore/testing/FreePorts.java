package io.fleetcore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers that the tests, the bench and the chaos run start: free on TCP and on UDP when handed
 * out, and never from the kernel's ephemeral range. A port the kernel picks ({@code new ServerSocket(0)}) is
 * an ephemeral one, and between closing the probe and the server's bind the kernel may give the same number
 * to an outgoing connection (to PostgreSQL, RabbitMQ, a device simulator); the server then fails with
 * "Address already in use". Ports below the ephemeral range are never handed to outgoing connections. A
 * cursor that starts at a random place and moves on never hands out one number twice in a JVM before it has
 * gone round the whole range, so two servers given ports before either binds never collide either.
 */
public final class FreePorts {

    /** How many ports below (or above) the ephemeral range are used. */
    static final int SPAN = 10_000;

    private static final FreePorts SHARED = below(ephemeralRange());

    private final int low;
    private final int high;
    private int next;

    FreePorts(int low, int high, int start) {
        if (high - low < 100 || start < low || start >= high) {
            throw new IllegalArgumentException("bad port range " + low + ".." + (high - 1) + " from " + start);
        }
        this.low = low;
        this.high = high;
        this.next = start;
    }

    /** A port nothing listens on right now, on TCP nor on UDP, outside the ephemeral range. */
    public static int next() {
        return SHARED.take();
    }

    synchronized int take() {
        for (int tried = 0; tried < high - low; tried++) {
            int port = next;
            next = next + 1 == high ? low : next + 1;
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on both TCP and UDP in " + low + ".." + (high - 1));
    }

    /** The first and last port of the ephemeral range (Linux: /proc; elsewhere Linux's default). */
    static int[] ephemeralRange() {
        try {
            return parseRange(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")));
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    static int[] parseRange(String text) {
        String[] parts = text.trim().split("\\s+");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** Up to {@link #SPAN} ports just below the ephemeral range, or just above it when there is no room below. */
    static FreePorts below(int[] ephemeral) {
        int low = Math.max(1024, ephemeral[0] - SPAN);
        int high = ephemeral[0];
        if (high - low < 1000) {
            low = ephemeral[1] + 1;
            high = Math.min(65536, low + SPAN);
        }
        return new FreePorts(low, high, low + ThreadLocalRandom.current().nextInt(high - low));
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket(port);
             DatagramSocket udp = new DatagramSocket(port)) {
            return true;
        } catch (SocketException taken) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
