package io.fleetcore.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the runnable jars are: the server ({@code fleetcore.jar}) next to this tools jar, as {@code ./mvnw package}
 * leaves them in {@code target/}; run from the IDE or the test classpath, the build's {@code target/}.
 */
final class Jars {

    static final String SERVER = "fleetcore.jar";
    static final String TOOLS = "fleetcore-tools.jar";

    private Jars() {
    }

    /** The server jar the tools start as a child process: beside this jar, else {@code target/fleetcore.jar}. */
    static Path server() {
        return beside(SERVER);
    }

    /** This tools jar (simulate and audit run as its sub-commands), else {@code target/fleetcore-tools.jar}. */
    static Path tools() {
        Path self = self();
        return self != null ? self : Path.of("target", TOOLS);
    }

    private static Path beside(String name) {
        Path self = self();
        Path dir = self != null ? self.toAbsolutePath().getParent() : Path.of("target");
        return dir.resolve(name);
    }

    private static Path self() {
        try {
            Path self = Path.of(Jars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(self) && self.toString().endsWith(".jar") ? self : null;
        } catch (Exception e) {
            return null;
        }
    }
}
