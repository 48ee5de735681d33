package io.fleetcore.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The user and password the Hawtio console logs in to fleetcore's Jolokia with, when fleetcore's management
 * server wants basic authentication ({@code camel.management.authentication-enabled=true}). Taken from a
 * users file in fleetcore's format ({@code user.NAME=PASSWORD,ROLE}, the one fleetcore generates) or from the
 * configuration ({@code fleetcore.hawtio.jolokia-user}, {@code fleetcore.hawtio.jolokia-password}, the password
 * only from the environment). Never on the command line, where {@code ps} would show it.
 */
public record JolokiaLogin(String user, String password) {

    @Override
    public String toString() {
        return "JolokiaLogin[" + user + "]"; // never the password
    }

    /** HTTP basic {@code Authorization} header value. */
    public String authorization() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * From a users file: the entry of {@code user}, or the only/first {@code user.*} entry when {@code user} is
     * blank. Fails with a clear message when the file or the user is missing.
     */
    public static JolokiaLogin fromUsersFile(Path file, String user) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the management users file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        String name = user == null || user.isBlank()
                ? p.stringPropertyNames().stream().filter(k -> k.startsWith("user.")).sorted().findFirst().map(k -> k.substring(5)).orElse("")
                : user;
        String entry = p.getProperty("user." + name);
        if (name.isEmpty() || entry == null) {
            throw new IllegalArgumentException("no user " + (name.isEmpty() ? "" : name + " ") + "in the management users file " + file.toAbsolutePath());
        }
        int comma = entry.indexOf(',');
        return new JolokiaLogin(name, (comma < 0 ? entry : entry.substring(0, comma)).trim());
    }

    /** From the users file when one is given, else user and password when a password is configured, else none. */
    public static Optional<JolokiaLogin> resolve(Path usersFile, String user, String password) {
        if (usersFile != null) {
            return Optional.of(fromUsersFile(usersFile, user));
        }
        if (password != null && !password.isBlank()) {
            return Optional.of(new JolokiaLogin(user == null || user.isBlank() ? "fleetcore" : user, password));
        }
        return Optional.empty();
    }
}
