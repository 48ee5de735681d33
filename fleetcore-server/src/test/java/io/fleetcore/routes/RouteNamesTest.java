package io.fleetcore.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.ExchangeNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No meaning shared only as a string between Java and YAML: every {@code fleetcore*} exchange property or header
 * a route file names, and every value it compares the retry decision with, is declared in {@link ExchangeNames}.
 */
class RouteNamesTest {

    private static final Pattern NAME = Pattern.compile("\\bfleetcore[A-Z][A-Za-z0-9]*");
    private static final Pattern DECISION = Pattern.compile(
            "exchangeProperty\\." + ExchangeNames.RETRY_DECISION + "}\\s*[!=]=\\s*'([^']*)'");

    static Set<String> declared() {
        Set<String> names = new TreeSet<>();
        for (Field f : ExchangeNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    /** route file → names of {@code fleetcore*} properties/headers (and retry decision values) it uses but nobody declared */
    static Set<String> undeclared(Path routes) throws IOException {
        Set<String> declared = declared();
        Set<String> missing = new TreeSet<>();
        for (Path file : routeFiles(routes)) {
            String text = Files.readString(file);
            Matcher m = NAME.matcher(text);
            while (m.find()) {
                if (!declared.contains(m.group())) {
                    missing.add(routes.relativize(file) + ": " + m.group());
                }
            }
            Matcher d = DECISION.matcher(text);
            while (d.find()) {
                if (!List.of(ExchangeNames.PARK, ExchangeNames.RETRY).contains(d.group(1))) {
                    missing.add(routes.relativize(file) + ": " + ExchangeNames.RETRY_DECISION + " value '" + d.group(1) + "'");
                }
            }
        }
        return missing;
    }

    static List<Path> routeFiles(Path routes) throws IOException {
        try (Stream<Path> files = Files.walk(routes)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyFleetcoreNameInARouteFileIsDeclared() throws IOException {
        Path routes = Path.of("routes");
        assertThat(routeFiles(routes)).as("route files under " + routes.toAbsolutePath()).hasSizeGreaterThan(10);
        assertThat(undeclared(routes)).isEmpty();
    }

    @Test
    void aNameNobodyDeclaredIsFound(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(tmp.resolve("shared/x.camel.yaml"), """
                - route:
                    from:
                      uri: direct:x
                      steps:
                        - setProperty:
                            name: fleetcoreFrame
                            constant: "1"
                        - log: "${header.fleetcoreDevcie} ${exchangeProperty.fleetcoreRetryDecision} == 'parked'"
                """);
        assertThat(undeclared(tmp)).containsExactly(
                "shared/x.camel.yaml: fleetcoreDevcie", "shared/x.camel.yaml: fleetcoreRetryDecision value 'parked'");
    }
}
