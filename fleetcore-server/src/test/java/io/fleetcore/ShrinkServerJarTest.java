package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build step that shrinks the server jar (src/build/ShrinkServerJar.java), run as the build runs it on a jar
 * made here: a class of a shrunk library stays when anything kept names it — a class reference, a string constant
 * ({@code Class.forName}), a service file, a route file beside the jar, an inner class's outer class, a package
 * kept whole with {@code !} — and goes (listed in the report) when only a dropped class names it or nothing does.
 * Everything outside the shrunk libraries stays, byte for byte, stored entries stay stored; the libraries' Maven
 * descriptors go but Camel's.
 */
class ShrinkServerJarTest {

    private static final Path SCRIPT = Path.of("fleetcore-server/src/build/ShrinkServerJar.java");

    @TempDir
    Path dir;

    @Test
    void keepsWhatIsNamedAndDropsWhatNothingKeptReaches() throws Exception {
        Map<String, String> sources = Map.of(
                "app/Main.java", "package app; public class Main { lib.B b; Object c() throws Exception {"
                        + " return Class.forName(\"lib.C\"); } }",
                "lib/B.java", "package lib; public class B { public static class Inner { } lib.util.U u; }",
                "lib/util/U.java", "package lib.util; public class U { }",
                "lib/C.java", "package lib; public class C { }",
                "lib/D.java", "package lib; public class D { lib.H h; }",
                "lib/H.java", "package lib; public class H { }",
                "lib/E.java", "package lib; public class E { }",
                "lib/F.java", "package lib; public class F { }",
                "lib/keep/G.java", "package lib.keep; public class G { }");
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();

        byte[] bundle = "not deflated, and must stay so".getBytes(StandardCharsets.US_ASCII);
        Path jar = dir.resolve("server.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.US_ASCII));
            put(out, "META-INF/services/app.Service", "# a provider\nlib.E\n".getBytes(StandardCharsets.US_ASCII));
            put(out, "META-INF/maven/org.example/lib/pom.properties", "version=1\n".getBytes(StandardCharsets.US_ASCII));
            put(out, "META-INF/maven/org.apache.camel/camel-main/pom.properties",
                    "version=4\n".getBytes(StandardCharsets.US_ASCII));
            try (var files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            ZipEntry stored = new ZipEntry("bundle.txz");
            CRC32 crc = new CRC32();
            crc.update(bundle);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(bundle.length);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(bundle);
            out.closeEntry();
        }
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("a.camel.yaml"), "- beans:\n    - name: f\n      type: \"#class:lib.F\"\n");
        Path report = dir.resolve("shrink.txt");

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SCRIPT.toString(),
                jar.toString(), report.toString(), "lib/,!lib/keep/", routes.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        try (ZipFile shrunk = new ZipFile(jar.toFile())) {
            List<String> names = shrunk.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("app/Main.class", "lib/B.class", "lib/B$Inner.class", "lib/util/U.class",
                    "lib/C.class", "lib/E.class", "lib/F.class", "lib/keep/G.class",
                    "META-INF/maven/org.apache.camel/camel-main/pom.properties", "META-INF/services/app.Service");
            assertThat(names).doesNotContain("lib/D.class", "lib/H.class", "META-INF/maven/org.example/lib/pom.properties");
            assertThat(names.get(0)).isEqualTo("META-INF/MANIFEST.MF");
            ZipEntry stored = shrunk.getEntry("bundle.txz");
            assertThat(stored.getMethod()).isEqualTo(ZipEntry.STORED);
            assertThat(shrunk.getInputStream(stored).readAllBytes()).isEqualTo(bundle);
            assertThat(shrunk.getInputStream(shrunk.getEntry("app/Main.class")).readAllBytes())
                    .isEqualTo(Files.readAllBytes(classes.resolve("app/Main.class")));
        }
        assertThat(Files.readAllLines(report)).containsSubsequence("## lib/: 2", "lib/D", "lib/H");
        assertThat(output).contains("2 unreachable classes of 1 libraries left out");
    }

    private static void put(ZipOutputStream out, String name, byte[] data) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(data);
        out.closeEntry();
    }
}
