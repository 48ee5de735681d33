package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository is self-contained: every relative link and every repository path that README.md, CHANGELOG.md
 * and docs/ mention exists in it (anchors included), every docs/ page a file names exists, and no file points
 * to working notes outside the repository.
 */
class RepositoryReferencesTest {

    /** top-level folders whose paths the documents name; a path starting with one of them must exist */
    private static final Pattern REPO_PATH = Pattern.compile("^(?:src|fleetcore-server|fleetcore-tools|routes|docker|deploy|docs|protocols|\\.ci|\\.mvn)/.*");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern DOCS_PAGE = Pattern.compile("(?<![\\w/.-])docs/[\\w/.-]+\\.md");
    /** built from parts, so this file does not mention them itself */
    private static final List<String> OUTSIDE = List.of("DESIGN" + ".md", "STYLE" + ".md", "STACK" + ".md",
            ".." + "/shared", "/work/" + "shared");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "data", "node_modules", ".idea");

    private final Path root = repositoryRoot();

    @Test
    void linksAndPathsInTheDocumentsResolveInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            String name = root.relativize(doc).toString();
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                checkLink(doc, link.group(1)).ifPresent(problem -> broken.add(name + ": link " + link.group(1) + " " + problem));
            }
            for (String path : mentionedPaths(text)) {
                if (!existsInRepository(path)) {
                    broken.add(name + ": path " + path + " is not in the repository");
                }
            }
        }
        assertThat(broken).as("broken references").isEmpty();
    }

    @Test
    void docsPagesNamedAnywhereExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : textFiles()) {
            Matcher page = DOCS_PAGE.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
            while (page.find()) {
                if (!Files.isRegularFile(root.resolve(page.group()))) {
                    broken.add(root.relativize(file) + ": " + page.group());
                }
            }
        }
        assertThat(broken).as("docs pages named but missing").isEmpty();
    }

    @Test
    void nothingPointsToNotesOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : textFiles()) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String outside : OUTSIDE) {
                if (text.contains(outside)) {
                    found.add(root.relativize(file) + " mentions " + outside);
                }
            }
        }
        assertThat(found).as("mentions of files outside the repository").isEmpty();
    }

    @Test
    void theCheckFindsABrokenLinkAndAMissingPath() {
        assertThat(checkLink(root.resolve("README.md"), "docs/no-such-" + "page.md")).isPresent();
        assertThat(checkLink(root.resolve("README.md"), "docs/configuration.md#no-such-heading")).isPresent();
        assertThat(checkLink(root.resolve("README.md"), "../outside.md")).isPresent();
        assertThat(checkLink(root.resolve("README.md"), "docs/configuration.md#log-format")).isEmpty();
        assertThat(mentionedPaths("see `routes/no-such.camel.yaml` and `docs/schema.md`")).contains("routes/no-such.camel.yaml");
        assertThat(existsInRepository("routes/no-such.camel.yaml")).isFalse();
        assertThat(existsInRepository("routes/feeds/*.camel.yaml")).isTrue();
        assertThat(existsInRepository("docs/schema.md")).isTrue();
    }

    /** Empty when the link resolves; else what is wrong. Links to the web and to other schemes are not checked. */
    private java.util.Optional<String> checkLink(Path doc, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return java.util.Optional.empty();
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root)) {
            return java.util.Optional.of("points outside the repository");
        }
        if (!Files.exists(resolved)) {
            return java.util.Optional.of("does not exist");
        }
        if (anchor != null && resolved.toString().endsWith(".md")) {
            try {
                if (!anchors(Files.readString(resolved)).contains(anchor)) {
                    return java.util.Optional.of("has no heading for #" + anchor);
                }
            } catch (IOException e) {
                return java.util.Optional.of("unreadable: " + e.getMessage());
            }
        }
        return java.util.Optional.empty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("^#{1,6} .*")) {
                String heading = line.replaceFirst("^#{1,6} ", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** Repository paths in code spans and in fenced blocks; placeholders (&lt;name&gt;, ...) are left out. */
    static List<String> mentionedPaths(String markdown) {
        List<String> candidates = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(markdown);
        while (span.find()) {
            candidates.add(span.group(1).trim());
        }
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (fenced) {
                for (String token : line.trim().split("\\s+")) {
                    candidates.add(token);
                }
            }
        }
        List<String> paths = new ArrayList<>();
        for (String candidate : candidates) {
            String path = candidate.replaceAll("[,;:.)'\"]+$", "").replaceFirst("^[('\"]+", "").replaceFirst("^\\./", "");
            if (REPO_PATH.matcher(path).matches() && !path.matches(".*[<>{}\\[\\]$…].*") && !path.contains("...")) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** The path exists, or (with * or ?) at least one file matches it. */
    private boolean existsInRepository(String path) {
        if (!path.contains("*") && !path.contains("?")) {
            return Files.exists(root.resolve(path));
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> matcher.matches(root.relativize(f)));
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        for (String top : List.of("README.md", "CHANGELOG.md")) {
            if (Files.isRegularFile(root.resolve(top))) {
                docs.add(root.resolve(top));
            }
        }
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertThat(docs).as("documents").contains(root.resolve("README.md"));
        return docs;
    }

    /** Every file of the repository that is text (no NUL byte), build output and local data left out. */
    private List<Path> textFiles() throws IOException {
        List<Path> result = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
                return SKIPPED_DIRS.contains(dir.getFileName().toString()) && !dir.equals(root)
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                if (attrs.size() < 2_000_000 && !isBinary(file)) {
                    result.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        assertThat(result).as("files scanned").hasSizeGreaterThan(50);
        return result;
    }

    private static boolean isBinary(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** The folder with README.md and mvnw: the working directory or one of its parents (a module's folder). */
    static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md with mvnw above " + System.getProperty("user.dir"));
        }
        return dir;
    }
}
