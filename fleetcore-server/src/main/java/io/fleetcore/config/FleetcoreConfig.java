package io.fleetcore.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one configuration of fleetcore. Sources, later ones win:
 * <ol>
 *   <li>{@code application.properties} on the classpath (the documented defaults),</li>
 *   <li>{@code application.properties} in the working directory, when present,</li>
 *   <li>environment variables: key {@code fleetcore.db.url} is overridden by {@code FLEETCORE_DB_URL}
 *       (upper case, dots and dashes become underscores),</li>
 *   <li>Java system properties with the exact key,</li>
 *   <li>explicit overrides (tests, sub-commands).</li>
 * </ol>
 * The server hands the resolved values to Camel as override properties, so route placeholders and Java
 * code always see the same value.
 */
public final class FleetcoreConfig {

    private final Properties props;

    private FleetcoreConfig(Properties props) {
        this.props = props;
    }

    public static FleetcoreConfig load() {
        return load(Map.of());
    }

    public static FleetcoreConfig load(Map<String, String> overrides) {
        return load(System.getenv(), overrides);
    }

    static FleetcoreConfig load(Map<String, String> env, Map<String, String> overrides) {
        Properties p = new Properties();
        try (InputStream in = FleetcoreConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath application.properties", e);
        }
        Path local = Path.of("application.properties");
        if (Files.isRegularFile(local)) {
            try (Reader r = Files.newBufferedReader(local)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + local.toAbsolutePath(), e);
            }
        }
        for (String key : p.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                p.setProperty(key, fromEnv);
            }
            String fromSys = System.getProperty(key);
            if (fromSys != null) {
                p.setProperty(key, fromSys);
            }
        }
        overrides.forEach(p::setProperty);
        return new FleetcoreConfig(p);
    }

    /** {@code fleetcore.db.url} → {@code FLEETCORE_DB_URL}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String v = props.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("missing configuration key " + key + " (env " + envName(key) + ")");
        }
        return v.trim();
    }

    public String get(String key, String def) {
        String v = props.getProperty(key);
        return v == null ? def : v.trim();
    }

    public int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration " + key + " (env " + envName(key) + ") must be an integer, got '" + v + "'");
        }
    }

    public long getLong(String key) {
        String v = get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration " + key + " (env " + envName(key) + ") must be an integer, got '" + v + "'");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalStateException("configuration " + key + " (env " + envName(key) + ") must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Durations as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 400d}, or plain milliseconds. */
    public Duration getDuration(String key) {
        return parseDuration(key, get(key));
    }

    public static Duration parseDuration(String key, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            } else if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
            } else if (s.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()) * 60);
            } else if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration " + key + " (env " + envName(key) + ") must be a duration like 500ms, 5s, 2m, 30d, got '" + v + "'");
        }
    }

    /** Every resolved key, for handing to Camel. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(props);
        return copy;
    }

    // ---- typed shortcuts for the keys every part uses ----

    public String dbUrl() {
        return get("fleetcore.db.url", "");
    }

    public String dbUser() {
        return get("fleetcore.db.user", "postgres");
    }

    public String dbPassword() {
        return get("fleetcore.db.password", "");
    }

    public Path dataDir() {
        return Path.of(get("fleetcore.data-dir", "data"));
    }

    public String amqpUri() {
        return get("fleetcore.amqp.uri", "");
    }
}
