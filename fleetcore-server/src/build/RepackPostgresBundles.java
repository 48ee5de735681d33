import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Build step (run by the server module's pom, not part of the jar): repacks the embedded PostgreSQL bundles
 * (zonky's postgres-linux-*.txz, read from the build classpath) into the jar's resources without what a
 * server never runs — static libraries, pkg-config and PGXS build files, ECPG/pgtypes client libraries,
 * contrib extensions (their .so and SQL; plpgsql, which initdb installs, stays) and libxslt/ossp-uuid (used
 * only by contrib extensions). The executables initdb, pg_ctl, postgres, their libraries, the encoding
 * conversions, snowball dictionaries and time zones stay. Recompressed with xz's branch filter for the
 * platform's machine code and a 32 MiB dictionary (xz preset 8). The static symbol tables of the unstripped
 * executables and libraries are zero-filled ({@link Symbols}).
 * <p>
 * {@code lib/libicudata.so.*} (27 MB, most of a bundle once compressed) keeps only the ICU data PostgreSQL can
 * reach with the libc locale provider the embedded start uses: initdb's import of the ICU collations (the
 * locale list, language tags, English display names for the comments, each collator's version) and the ICU
 * collations themselves ({@link IcuData#keep}). The rest of ICU's common-data package is dropped and the
 * package rewritten in place (same offset, same length, zero-filled tail), so the shared library stays a valid
 * ELF file of the same size and the zeros compress to almost nothing. The package is the same bytes on x86_64
 * and arm64 (little-endian), so both bundles get the same subset.
 * Arguments: output folder, then bundle names (e.g. postgres-linux-x86_64.txz postgres-linux-arm_64.txz).
 */
public final class RepackPostgresBundles {

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            Path target = out.resolve(name);
            // from zonky's jar, never from the output folder (also on the classpath)
            URL source = Collections.list(RepackPostgresBundles.class.getClassLoader().getResources(name)).stream()
                    .filter(url -> "jar".equals(url.getProtocol())).findFirst()
                    .orElseThrow(() -> new IOException(name + " is in no jar on the build classpath"));
            if (upToDate(target, source)) {
                System.out.println(name + " already repacked: " + Files.size(target) + " bytes");
                continue;
            }
            // written beside the target and moved when complete: a failed run leaves no bundle that looks up to date
            Path part = out.resolve(name + ".part");
            try (InputStream in = source.openStream()) {
                repack(in, part, name.contains("arm_64") ? new ARM64Options() : new X86Options());
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("repacked " + name + ": " + Files.size(target) + " bytes");
        }
    }

    /**
     * The repacked bundle is newer than the jar it comes from and than this build step (system property
     * {@code repack.script}, set by the pom): repacking takes a minute, once per clean build or change here.
     */
    private static boolean upToDate(Path target, URL source) throws IOException {
        if (!Files.isRegularFile(target) || !(source.openConnection() instanceof JarURLConnection jarUrl)) {
            return false;
        }
        String script = System.getProperty("repack.script");
        if (script != null && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(Path.of(script))) <= 0) {
            return false;
        }
        try {
            Path jar = Path.of(jarUrl.getJarFileURL().toURI());
            return Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static boolean keep(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        if (p.startsWith("lib/pkgconfig") || p.startsWith("lib/postgresql/pgxs") || p.startsWith("include/")
                || p.startsWith("share/doc") || p.startsWith("share/man")) {
            return false;
        }
        String file = p.substring(p.lastIndexOf('/') + 1);
        if (p.startsWith("lib/") && !p.startsWith("lib/postgresql/")) {
            return !(file.endsWith(".a") || file.startsWith("libecpg") || file.startsWith("libpgtypes")
                    || file.startsWith("libossp-uuid") || file.startsWith("libxslt"));
        }
        if (p.startsWith("lib/postgresql/") && file.endsWith(".so")) {
            return file.equals("plpgsql.so") || file.equals("dict_snowball.so") || file.equals("libpqwalreceiver.so")
                    || file.equals("pgoutput.so") || file.contains("_and_") || file.startsWith("euc");
        }
        if (p.startsWith("share/postgresql/extension/") && !file.isEmpty()) {
            return file.startsWith("plpgsql");
        }
        return !file.equals("psqlrc.sample") && !file.equals("pg_service.conf.sample");
    }

    private static void repack(InputStream bundle, Path target, FilterOptions machineCode) throws IOException {
        LZMA2Options lzma2 = new LZMA2Options(8);
        try (TarArchiveInputStream tarIn = new TarArchiveInputStream(new XZInputStream(bundle));
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(target));
             TarArchiveOutputStream tarOut = new TarArchiveOutputStream(
                     new XZOutputStream(file, new FilterOptions[] {machineCode, lzma2}))) {
            tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry;
            while ((entry = tarIn.getNextEntry()) != null) {
                if (!keep(entry.getName())) {
                    continue;
                }
                tarOut.putArchiveEntry(entry);
                if (entry.isFile() && !entry.isSymbolicLink() && !entry.isLink() && IcuData.isLibrary(entry.getName())) {
                    byte[] library = tarIn.readAllBytes();
                    tarOut.write(IcuData.subset(library, entry.getName()));
                } else if (entry.isFile() && !entry.isSymbolicLink() && !entry.isLink() && Symbols.isElf(entry)) {
                    tarOut.write(Symbols.zeroed(tarIn.readAllBytes(), entry.getName()));
                } else if (entry.isFile()) {
                    tarIn.transferTo(tarOut);
                }
                tarOut.closeArchiveEntry();
            }
        }
    }

    /**
     * The static symbol table ({@code .symtab}) and its names ({@code .strtab}) of an executable or library the
     * bundle ships unstripped (postgres, initdb, pg_ctl, the encoding conversions): zero-filled in place, as
     * {@code strip} would leave them out. Only debuggers and {@code nm} read them; the dynamic linker and
     * PostgreSQL's own symbol lookups ({@code dlsym}, backtraces) use {@code .dynsym}, which stays. The file keeps
     * its size and layout, the zeros compress to almost nothing (0.2 MB less per bundle).
     */
    static final class Symbols {

        private static final int SHT_SYMTAB = 2;

        static boolean isElf(TarArchiveEntry entry) {
            String p = entry.getName();
            return entry.getSize() > 64 && (p.contains("/bin/") || p.startsWith("bin/") || p.contains(".so"));
        }

        static byte[] zeroed(byte[] file, String path) throws IOException {
            if (file.length < 64 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
                return file;
            }
            List<Section> sections = Section.all(file, path);
            for (Section s : sections) {
                if (s.type() == SHT_SYMTAB) {
                    s.zero(file);
                    sections.get(s.link()).zero(file);
                }
            }
            return file;
        }
    }

    /** One section header of a little-endian ELF64 file: type, file offset, size, linked section. */
    record Section(int type, int start, int length, int link) {

        static List<Section> all(byte[] file, String path) throws IOException {
            if (file[4] != 2 || file[5] != 1) {
                throw new IOException(path + ": not a little-endian 64-bit ELF file");
            }
            ByteBuffer elf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            long table = elf.getLong(0x28);
            int size = elf.getShort(0x3a) & 0xffff;
            int number = elf.getShort(0x3c) & 0xffff;
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < number; i++) {
                int header = (int) table + i * size;
                out.add(new Section(elf.getInt(header + 4), (int) elf.getLong(header + 0x18),
                        (int) elf.getLong(header + 0x20), elf.getInt(header + 0x28)));
            }
            return out;
        }

        void zero(byte[] file) {
            Arrays.fill(file, start, start + length, (byte) 0);
        }
    }

    /**
     * ICU's common-data package ({@code icudt<version>_dat}) inside {@code libicudata.so}: a 16-bit header size,
     * magic {@code DA 27}, the data info ("CmnD"), then the table of contents — item count, one (name offset,
     * data offset) pair per item, both from the start of the table, names sorted (ICU looks items up by binary
     * search), each item's data 16-byte aligned in name order.
     */
    static final class IcuData {

        /** Top-level items kept: the locale list, the root and English locale, their key pool, the data that
         *  language tags and locale canonicalisation read, the converter aliases, normalisation data. */
        static final Set<String> TOP_LEVEL = Set.of("res_index.res", "root.res", "en.res", "pool.res",
                "likelySubtags.res", "keyTypeData.res", "metadata.res", "supplementalData.res", "cnvalias.icu");

        private IcuData() {
        }

        static boolean isLibrary(String path) {
            return path.substring(path.lastIndexOf('/') + 1).startsWith("libicudata.so.");
        }

        /**
         * Whether an item ("icudt60l/coll/de.res") stays: every collation item (root collation, UCA data and the
         * per-language tailorings, so an ICU collation sorts as before and keeps its version); the English and
         * root language and region names (initdb's collation comments, "German (Austria)"); {@link #TOP_LEVEL}
         * and the normalisation data (*.nrm). Dropped: break iteration, converter tables (*.cnv: the embedded
         * cluster is UTF-8), transliteration, time zones, currencies, units, number spellout, stringprep
         * profiles, character names, confusables and every other locale's top-level and display data.
         */
        static boolean keep(String name) {
            String item = name.substring(name.indexOf('/') + 1);
            if (item.startsWith("coll/")) {
                return true;
            }
            String file = item.substring(item.indexOf('/') + 1);
            if (item.startsWith("lang/") || item.startsWith("region/")) {
                return file.equals("en.res") || file.equals("root.res") || file.equals("pool.res") || file.equals("res_index.res");
            }
            if (item.startsWith("brkitr/")) {
                return file.equals("root.res") || file.equals("res_index.res") || file.startsWith("word");
            }
            return !item.contains("/") && (TOP_LEVEL.contains(item) || item.endsWith(".nrm"));
        }

        /** The library with its package reduced to the items {@link #keep} accepts, same size, same offsets. */
        static byte[] subset(byte[] library, String path) throws IOException {
            int start = packageStart(library, path);
            int end = sectionEnd(library, start, path);
            ByteBuffer in = ByteBuffer.wrap(library).order(ByteOrder.LITTLE_ENDIAN);
            int toc = start + (in.getShort(start) & 0xffff);
            int count = in.getInt(toc);
            List<String> names = new ArrayList<>();
            int[] from = new int[count];
            int[] to = new int[count];
            for (int i = 0; i < count; i++) {
                int nameOffset = toc + in.getInt(toc + 4 + 8 * i);
                int nameEnd = nameOffset;
                while (library[nameEnd] != 0) {
                    nameEnd++;
                }
                names.add(new String(library, nameOffset, nameEnd - nameOffset, StandardCharsets.US_ASCII));
                from[i] = toc + in.getInt(toc + 8 + 8 * i);
                if (i > 0 && from[i] < from[i - 1]) {
                    throw new IOException(path + ": ICU data items are not in name order");
                }
            }
            for (int i = 0; i < count; i++) {
                to[i] = i + 1 < count ? from[i + 1] : end;
            }
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (keep(names.get(i))) {
                    kept.add(i);
                }
            }
            byte[] out = Arrays.copyOf(library, library.length);
            Arrays.fill(out, toc, end, (byte) 0);
            ByteBuffer pkg = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            pkg.putInt(toc, kept.size());
            int name = 4 + 8 * kept.size();
            for (int k = 0; k < kept.size(); k++) {
                byte[] bytes = (names.get(kept.get(k)) + "\0").getBytes(StandardCharsets.US_ASCII);
                pkg.putInt(toc + 4 + 8 * k, name);
                System.arraycopy(bytes, 0, out, toc + name, bytes.length);
                name += bytes.length;
            }
            int data = align16(name);
            long keptBytes = 0;
            for (int k = 0; k < kept.size(); k++) {
                int i = kept.get(k);
                int length = to[i] - from[i];
                if (toc + data + length > end) {
                    throw new IOException(path + ": the ICU data subset does not fit its package");
                }
                pkg.putInt(toc + 8 + 8 * k, data);
                System.arraycopy(library, from[i], out, toc + data, length);
                data = align16(data + length);
                keptBytes += length;
            }
            System.out.printf("%s: ICU data %d of %d items kept, %d of %d bytes%n", path, kept.size(), count,
                    keptBytes, end - toc);
            return out;
        }

        private static int align16(int offset) {
            return (offset + 15) & ~15;
        }

        /** The offset of the one common-data package in the library (header magic DA 27, data format "CmnD"). */
        static int packageStart(byte[] library, String path) throws IOException {
            byte[] format = "CmnD".getBytes(StandardCharsets.US_ASCII);
            int found = -1;
            for (int i = 0; i + 16 <= library.length; i += 16) {
                if ((library[i + 2] & 0xff) == 0xda && (library[i + 3] & 0xff) == 0x27
                        && Arrays.equals(library, i + 12, i + 16, format, 0, 4)) {
                    if (found >= 0) {
                        throw new IOException(path + ": more than one ICU data package");
                    }
                    found = i;
                }
            }
            if (found < 0 || library[found + 8] != 0) {
                throw new IOException(path + ": no little-endian ICU data package");
            }
            return found;
        }

        /** The end of the ELF64 (little-endian) section holding {@code offset}: where the package must end. */
        static int sectionEnd(byte[] library, int offset, String path) throws IOException {
            for (Section s : Section.all(library, path)) {
                if (s.type() == 1 && s.start() <= offset && offset < s.start() + s.length()) {
                    return s.start() + s.length();
                }
            }
            throw new IOException(path + ": no ELF section holds the ICU data package");
        }
    }
}
