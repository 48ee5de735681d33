import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Build step (run by the server module's pom after shade, not part of the jar): rewrites the shaded server jar
 * without the classes of plain libraries that nothing in the jar can reach, and deflates every entry at level 9.
 * <p>
 * Only the packages given (Guava, commons-*, HttpClient 5, ...) lose classes: libraries used through their API
 * and not configured by class names. Everything else — Camel, Spring, Qpid, Derby, Netty's transports, pgjdbc,
 * fleetcore itself, whose classes are loaded by name from configuration — is kept whole and is where the search
 * starts. A class of a given package stays when a kept class names it anywhere in its constant pool (a class
 * reference, a field or method descriptor, a generic signature, an annotation, or a string constant such as a
 * {@code Class.forName} argument), when a resource names it (service files, properties, XML), when it is the outer
 * class of a kept class, and so on transitively. What is dropped is listed, per package, in the report file.
 * The libraries' Maven descriptors ({@code META-INF/maven/}) go too, but Camel's, which Camel reads.
 * Arguments: the jar (rewritten in place), the report file, the package prefixes ({@code com/google/common/,...});
 * a prefix marked {@code !} is kept whole inside a shrunk one (classes a library loads by a configured name);
 * then folders whose files may name classes too (the route files).
 */
public final class ShrinkServerJar {

    /** A class name in a constant or a resource: dotted or slashed, optionally a descriptor's {@code L...}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+");
    private static final String VERSIONS = "META-INF/versions/";
    /** The libraries' Maven descriptors: only Camel reads its own (its version, when the manifest has none). */
    private static final String MAVEN = "META-INF/maven/";
    private static final String MAVEN_CAMEL = MAVEN + "org.apache.camel/";

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path report = Path.of(args[1]);
        List<String> prefixes = List.of(args[2].split(","));
        List<String> outside = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            try (var files = Files.walk(Path.of(args[i]))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    outside.add(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        long before = Files.size(jar);
        Map<String, List<String>> dropped = new TreeMap<>();
        Path part = jar.resolveSibling(jar.getFileName() + ".part");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            Set<String> reached = reach(in, prefixes, outside);
            // written to a file, so each entry's sizes go into its local header (no data descriptors)
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(part)) {
                out.setLevel(Deflater.BEST_COMPRESSION);
                out.setUseZip64(Zip64Mode.Never);
                for (ZipEntry e : in.stream().toList()) {
                    String cls = className(e.getName());
                    if (e.getName().startsWith(MAVEN) && !e.getName().startsWith(MAVEN_CAMEL)) {
                        continue;
                    }
                    if (cls != null && library(cls, prefixes) != null && !reached.contains(cls)) {
                        if (!e.getName().startsWith(VERSIONS)) {
                            dropped.computeIfAbsent(library(cls, prefixes), k -> new ArrayList<>()).add(cls);
                        }
                        continue;
                    }
                    copy(in, e, out);
                }
            }
        }
        Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StringBuilder text = new StringBuilder("# classes of plain libraries nothing in ").append(jar.getFileName())
                .append(" reaches, left out by the build (ShrinkServerJar)\n");
        int count = 0;
        for (Map.Entry<String, List<String>> lib : dropped.entrySet()) {
            text.append("## ").append(lib.getKey()).append(": ").append(lib.getValue().size()).append('\n');
            lib.getValue().forEach(c -> text.append(c).append('\n'));
            count += lib.getValue().size();
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.out.printf("%s: %d unreachable classes of %d libraries left out, deflate level 9: %,d -> %,d bytes (%s)%n",
                jar.getFileName(), count, dropped.size(), before, Files.size(jar), report);
    }

    /**
     * The classes reached from everything outside the prefixes, from every resource naming a class and from the
     * texts given (the route files beside the jar, which may name a class for a bean).
     */
    static Set<String> reach(ZipFile jar, List<String> prefixes, List<String> texts) throws IOException {
        Map<String, List<ZipEntry>> classes = new HashMap<>();
        List<ZipEntry> resources = new ArrayList<>();
        for (ZipEntry e : jar.stream().toList()) {
            String cls = className(e.getName());
            if (cls != null) {
                classes.computeIfAbsent(cls, k -> new ArrayList<>()).add(e);
            } else if (!e.isDirectory() && e.getSize() < 4 << 20) {
                resources.add(e);
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String cls : classes.keySet()) {
            if (library(cls, prefixes) == null) {
                reached.add(cls);
                todo.add(cls);
            }
        }
        List<String> named = new ArrayList<>(texts);
        for (ZipEntry e : resources) {
            named.add(new String(read(jar, e), StandardCharsets.ISO_8859_1));
        }
        for (String text : named) {
            for (String name : names(text)) {
                if (classes.containsKey(name) && reached.add(name)) {
                    todo.add(name);
                }
            }
        }
        while (!todo.isEmpty()) {
            String cls = todo.poll();
            Set<String> refs = new HashSet<>();
            for (ZipEntry e : classes.get(cls)) {
                refs.addAll(names(constants(read(jar, e))));
            }
            int inner = cls.lastIndexOf('$');
            if (inner > 0) {
                refs.add(cls.substring(0, inner));
            }
            for (String ref : refs) {
                if (classes.containsKey(ref) && reached.add(ref)) {
                    todo.add(ref);
                }
            }
        }
        return reached;
    }

    /** Every name-like token of a text, slashed, with a descriptor's leading {@code L} tried both ways. */
    static Set<String> names(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            String name = m.group().replace('.', '/');
            out.add(name);
            if (name.length() > 1 && name.charAt(0) == 'L') {
                out.add(name.substring(1));
            }
        }
        return out;
    }

    /** The class file's UTF-8 constants (class names, descriptors, signatures, strings), joined by spaces. */
    static String constants(byte[] b) throws IOException {
        if (b.length < 10 || (b[0] & 0xff) != 0xca || (b[1] & 0xff) != 0xfe) {
            throw new IOException("not a class file");
        }
        StringBuilder out = new StringBuilder();
        int count = u2(b, 8);
        int i = 10;
        for (int k = 1; k < count; k++) {
            int tag = b[i] & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = u2(b, i + 1);
                    out.append(new String(b, i + 3, len, StandardCharsets.ISO_8859_1)).append(' ');
                    i += 3 + len;
                }
                case 3, 4 -> i += 5;
                case 5, 6 -> {
                    i += 9;
                    k++;
                }
                case 7, 8, 16, 19, 20 -> i += 3;
                case 9, 10, 11, 12, 17, 18 -> i += 5;
                case 15 -> i += 4;
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        return out.toString();
    }

    /** The class an entry holds ({@code a/b/C}, also for a multi-release variant), or null. */
    static String className(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class")) {
            return null;
        }
        String path = entry;
        if (path.startsWith(VERSIONS)) {
            int slash = path.indexOf('/', VERSIONS.length());
            path = path.substring(slash + 1);
        }
        return path.substring(0, path.length() - ".class".length());
    }

    /** The prefix whose library a class belongs to, or null: none, or one marked {@code !} (kept whole) holds it. */
    static String library(String cls, List<String> prefixes) {
        String library = null;
        for (String p : prefixes) {
            if (p.startsWith("!")) {
                if (cls.startsWith(p.substring(1))) {
                    return null;
                }
            } else if (library == null && cls.startsWith(p)) {
                library = p;
            }
        }
        return library;
    }

    private static void copy(ZipFile in, ZipEntry e, ZipArchiveOutputStream out) throws IOException {
        byte[] data = read(in, e);
        ZipArchiveEntry copy = new ZipArchiveEntry(e.getName());
        copy.setTime(e.getTime());
        if (e.getMethod() == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(data);
            copy.setMethod(ZipEntry.STORED);
            copy.setSize(data.length);
            copy.setCompressedSize(data.length);
            copy.setCrc(crc.getValue());
        }
        out.putArchiveEntry(copy);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static byte[] read(ZipFile jar, ZipEntry e) throws IOException {
        try (InputStream s = jar.getInputStream(e)) {
            return s.readAllBytes();
        }
    }

    private static int u2(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }
}
