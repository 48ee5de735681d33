package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/schema.md names every column of every view the migrations of schema api create, and no other. */
class SchemaDocumentTest {

    private static final Pattern VIEW = Pattern.compile("(?s)create (?:or replace )?view (api\\.\\w+) as\\s+select(.*?)\\nfrom ");
    private static final Pattern COLUMN = Pattern.compile("`(\\w+)`");

    @Test
    void everyViewColumnIsDocumented() throws IOException {
        Path root = RepositoryReferencesTest.repositoryRoot();
        // every migration in version order: a later "create or replace view" is the view's current definition
        Map<String, List<String>> views = new LinkedHashMap<>();
        Path migrations = root.resolve("fleetcore-server/src/main/resources/db/migration");
        try (var files = Files.list(migrations)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("V\\d+(_\\d+)?__.*\\.sql"))
                    .sorted(java.util.Comparator.comparing(SchemaDocumentTest::version)).toList()) {
                views.putAll(views(Files.readString(f)));
            }
        }
        assertThat(views).containsOnlyKeys("api.positions", "api.latest_positions", "api.device_status", "api.alerts",
                "api.rejected_frames", "api.device_events");
        assertThat(views.get("api.positions")).as("a column added by a later migration").contains("io_named");
        assertThat(views.get("api.latest_positions")).as("latest_positions has the columns of positions")
                .isEqualTo(views.get("api.positions"));
        Map<String, String> sections = sections(Files.readString(root.resolve("docs/schema.md")));
        for (Map.Entry<String, List<String>> view : views.entrySet()) {
            if (view.getKey().equals("api.latest_positions")) {
                assertThat(sections.get(view.getKey())).contains("Same columns as `api.positions`");
                continue;
            }
            List<String> documented = new ArrayList<>();
            for (String line : sections.get(view.getKey()).split("\n")) {
                if (line.startsWith("| `")) {
                    Matcher cell = COLUMN.matcher(line.substring(0, line.indexOf('|', 1)));
                    while (cell.find()) {
                        documented.add(cell.group(1));
                    }
                }
            }
            assertThat(documented).as(view.getKey()).containsExactlyInAnyOrderElementsOf(view.getValue());
        }
    }

    /** V6_1__x.sql → 6.001, the order Flyway applies it in */
    private static double version(Path migration) {
        Matcher v = Pattern.compile("V(\\d+)(?:_(\\d+))?__").matcher(migration.getFileName().toString());
        v.lookingAt();
        return Integer.parseInt(v.group(1)) + (v.group(2) == null ? 0 : Integer.parseInt(v.group(2)) / 1000.0);
    }

    /** view name → its column names, in select-list order */
    static Map<String, List<String>> views(String sql) {
        Map<String, List<String>> views = new LinkedHashMap<>();
        Matcher view = VIEW.matcher(sql);
        while (view.find()) {
            List<String> columns = new ArrayList<>();
            int depth = 0;
            StringBuilder item = new StringBuilder();
            for (char c : (view.group(2) + ",").toCharArray()) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    String[] words = item.toString().trim().split("[\\s.]+");
                    columns.add(words[words.length - 1]);
                    item.setLength(0);
                    continue;
                }
                item.append(c);
            }
            views.put(view.group(1), columns);
        }
        return views;
    }

    /** "## `api.x` — ..." heading → the text up to the next heading */
    private static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new LinkedHashMap<>();
        for (String part : markdown.split("\n## ")) {
            Matcher name = Pattern.compile("^`(api\\.\\w+)`").matcher(part);
            if (name.find()) {
                sections.put(name.group(1), part);
            }
        }
        return sections;
    }
}
