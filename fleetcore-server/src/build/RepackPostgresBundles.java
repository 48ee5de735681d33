import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

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
 * platform's machine code and a 32 MiB dictionary (xz preset 8).
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
            try (InputStream in = source.openStream()) {
                repack(in, target, name.contains("arm_64") ? new ARM64Options() : new X86Options());
            }
            System.out.println("repacked " + name + ": " + Files.size(target) + " bytes");
        }
    }

    /** The repacked bundle is newer than the jar it comes from (repacking takes a minute: once per clean build). */
    private static boolean upToDate(Path target, URL source) throws IOException {
        if (!Files.isRegularFile(target) || !(source.openConnection() instanceof JarURLConnection jarUrl)) {
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
                if (entry.isFile()) {
                    tarIn.transferTo(tarOut);
                }
                tarOut.closeArchiveEntry();
            }
        }
    }
}
