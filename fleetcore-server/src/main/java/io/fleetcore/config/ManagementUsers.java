package io.fleetcore.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the management server's basic authentication ({@code camel.management.authentication-enabled}):
 * when it is on and its users file ({@code camel.management.basic-properties-file}, Vert.x format
 * {@code user.NAME=PASSWORD,ROLE}) does not exist yet, it is created with user {@value #USER} and a generated
 * password, readable by its owner only, so turning authentication on never leaves the port open or needs a
 * default password.
 */
public final class ManagementUsers {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementUsers.class);
    public static final String USER = "fleetcore";

    private ManagementUsers() {
    }

    /** Creates the users file when authentication is on and the file is missing; returns its path, if any. */
    public static Path ensure(FleetcoreConfig config) {
        if (!config.getBoolean("camel.management.authentication-enabled")) {
            return null;
        }
        String name = config.get("camel.management.basic-properties-file", "")
                .replace("{{fleetcore.data-dir}}", config.get("fleetcore.data-dir"));
        if (name.isEmpty()) {
            throw new IllegalStateException("camel.management.authentication-enabled=true needs camel.management.basic-properties-file");
        }
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String password = GeneratedSecret.readOrCreate(file.resolveSibling(file.getFileName() + ".password"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, "user." + USER + "=" + password + ",admin\nrole.admin=*\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the management users file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        LOG.info("management authentication: user {} with a generated password, in {}", USER, file.toAbsolutePath());
        return file;
    }
}
