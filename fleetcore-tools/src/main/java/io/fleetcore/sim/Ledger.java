package io.fleetcore.sim;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * The ACK ledger: one line {@code device,fix-time} per record a device saw acknowledged. What the
 * simulator was told is durable; {@code audit} holds it against the database.
 */
public final class Ledger implements AutoCloseable {

    private final BufferedWriter out;

    private Ledger(BufferedWriter out) {
        this.out = out;
    }

    /** A new ledger file (replaces an old one); {@code null} path = a ledger that writes nothing. */
    public static Ledger create(Path file) {
        if (file == null) {
            return new Ledger(null);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new Ledger(Files.newBufferedWriter(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ledger " + file, e);
        }
    }

    public static String line(String device, Instant fixTime) {
        return device + ',' + fixTime;
    }

    /** Records of one ACK, written together. */
    public synchronized void acked(String device, Instant[] fixTimes) {
        if (out == null) {
            return;
        }
        try {
            for (Instant t : fixTimes) {
                out.write(line(device, t));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger", e);
        }
    }

    /** Reads every line of a ledger; a malformed line fails with its number. */
    public static void read(Path file, BiConsumer<String, Instant> entry) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.lastIndexOf(',');
                if (comma <= 0) {
                    throw new IOException(file + ":" + n + ": expected 'device,fix-time', got '" + line + "'");
                }
                try {
                    entry.accept(line.substring(0, comma), Instant.parse(line.substring(comma + 1).trim()));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IOException(file + ":" + n + ": bad fix time in '" + line + "'", e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the ledger", e);
        }
    }
}
