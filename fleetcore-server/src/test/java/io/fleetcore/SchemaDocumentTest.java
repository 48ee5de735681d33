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

/** docs/schema.md names every column of every view the migration of schema api creates, and no other. */
class SchemaDocumentTest {

    private static final Pattern VIEW = Pattern.compile("(?s)create view (api\\.\\w+) as\\s+select(.*?)\\nfrom ");
    private static final Pattern COLUMN = Pattern.compile("`(\\w+)`");

    @Test
    void everyViewColumnIsDocumented() throws IOException {
        Path root = RepositoryReferencesTest.repositoryRoot();
        Map<String, List<String>> views = views(Files.readString(
                root.resolve("fleetcore-server/src/main/resources/db/migration/V9__api_read_contract.sql")));
        assertThat(views).containsOnlyKeys("api.positions", "api.latest_positions", "api.device_status", "api.alerts",
                "api.rejected_frames");
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
