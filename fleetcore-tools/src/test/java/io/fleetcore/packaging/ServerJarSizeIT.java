package io.fleetcore.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.JarProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The server jar as built stays within the 60 MB target (59.2 MB reached), and its embedded PostgreSQL bundles are
 * the repacked ones (no contrib extensions, static or client libraries). On failure the message lists the
 * compressed size per top-level package so the growth can be found. The build's shrinking of plain libraries to
 * their reached classes is checked by the JDK's own dependency analyser: no class in the jar depends on a class
 * the build left out (jdeps reads every class reference, independently of the build step).
 */
class ServerJarSizeIT {

    static final long LIMIT_BYTES = 60_000_000L;

    @Test
    void theServerJarDoesNotGrowPastItsCeiling() throws Exception {
        Path jar = JarProcess.jar();
        long size = Files.size(jar);
        assertThat(size).as("%s is %.1f MB (ceiling %.0f MB); compressed MB by package:%n%s", jar,
                size / 1e6, LIMIT_BYTES / 1e6, biggestPackages(jar)).isLessThanOrEqualTo(LIMIT_BYTES);
    }

    @Test
    void theEmbeddedPostgresBundlesAreTheRepackedOnes() throws Exception {
        try (ZipFile jar = new ZipFile(JarProcess.jar().toFile())) {
            for (String bundle : new String[] {"postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz"}) {
                assertThat(jar.getEntry(bundle)).as("zonky's " + bundle + " is left out").isNull();
                ZipEntry entry = jar.getEntry("fleetcore-postgres/" + bundle);
                assertThat(entry).as(bundle).isNotNull();
                // zonky's bundles are 14.6 and 13.7 MB; repacked 7.3 and 6.5 MB (6.5 MB each of ICU data went, and
                // 0.2 MB each of static symbol tables)
                assertThat(entry.getCompressedSize()).as(bundle).isLessThan(7_400_000L);
            }
        }
    }

    @Test
    void noClassInTheJarDependsOnAClassTheBuildLeftOut() throws Exception {
        Path jar = JarProcess.jar();
        Path report = jar.resolveSibling("fleetcore-jar-shrink.txt");
        Set<String> dropped = Files.readAllLines(report).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replace('/', '.')).collect(Collectors.toSet());
        assertThat(dropped).as("the build left classes out (%s)", report).hasSizeGreaterThan(1000)
                .contains("com.google.common.graph.Graphs");
        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:class", "-filter:none", "--multi-release", String.valueOf(Runtime.version().feature()),
                jar.toString());
        assertThat(exit).as(out.toString().lines().limit(20).collect(Collectors.joining("\n"))).isZero();
        // lines "   [version/]from.Class -> to.Class   module-or-jar"
        List<String> broken = out.toString().lines().filter(l -> l.contains(" -> ") && !l.startsWith(jar.getFileName() + " "))
                .filter(l -> dropped.contains(l.split(" -> ")[1].trim().split("\\s+")[0])).limit(20).toList();
        assertThat(broken).as("dependencies on classes the build left out").isEmpty();
        assertThat(out.toString()).as("jdeps read the jar's classes").containsPattern("io\\.fleetcore\\.Application +-> ");
    }

    private static String biggestPackages(Path jar) throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> {
                String[] parts = e.getName().split("/");
                String key = parts.length > 3 ? String.join("/", parts[0], parts[1], parts[2]) : parts[0];
                sizes.merge(key, e.getCompressedSize(), Long::sum);
            });
        }
        return sizes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .map(e -> String.format("%7.2f %s", e.getValue() / 1e6, e.getKey())).collect(Collectors.joining("\n"));
    }
}
