package io.fleetcore.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A password an embedded service is started with: generated on first use, kept in a file only its owner can
 * read (0600), read back on every later start so the service's stored credentials keep matching.
 */
public final class GeneratedSecret {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecret() {
    }

    /** The secret in {@code file}; a new random one (32 hex digits) written there when the file is absent. */
    public static String readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            } catch (FileAlreadyExistsException e) {
                return read(file); // created meanwhile by another process on this data dir
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the generated password file " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws IOException {
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.isEmpty()) {
            throw new IOException("the file is empty; delete it only together with the data it protects");
        }
        return secret;
    }
}
