package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.XZInputStream;

/**
 * The repacked bundles' ICU data (libicudata.so, reduced by the build's RepackPostgresBundles to what initdb's
 * collation import and the ICU collations read) is the same package on Linux arm64 as on amd64, where the
 * embedded start is tested (EmbeddedIcuIT): the untested platform gets the tested bytes. Also checks which items
 * the subset holds, so a change of the build step's list shows here.
 */
class EmbeddedIcuDataTest {

    private static final String LIBRARY = "lib/libicudata.so.60.2";

    @Test
    void arm64GetsTheSameIcuDataPackageAsAmd64() throws Exception {
        byte[] amd64 = icuPackage("postgres-linux-x86_64.txz");
        byte[] arm64 = icuPackage("postgres-linux-arm_64.txz");
        assertThat(amd64.length).as("the package keeps its size (zero-filled)").isEqualTo(0x19a7610);
        assertThat(Arrays.equals(amd64, arm64)).as("arm64's ICU package equals amd64's").isTrue();
    }

    @Test
    void theIcuDataKeepsCollationsDisplayNamesAndWordBreaksOnly() throws Exception {
        List<String> items = items(icuPackage("postgres-linux-x86_64.txz"));
        assertThat(items).contains("icudt60l/res_index.res", "icudt60l/coll/root.res", "icudt60l/coll/ucadata.icu",
                "icudt60l/coll/sv.res", "icudt60l/coll/zh.res", "icudt60l/lang/en.res", "icudt60l/region/en.res",
                "icudt60l/brkitr/word.brk", "icudt60l/cnvalias.icu");
        assertThat(items).filteredOn(i -> i.endsWith(".cnv") || i.startsWith("icudt60l/translit/")
                || i.startsWith("icudt60l/zone/") || i.startsWith("icudt60l/curr/") || i.endsWith(".dict")
                || i.equals("icudt60l/de.res") || i.equals("icudt60l/lang/de.res")).isEmpty();
        assertThat(items).hasSizeLessThan(200);
    }

    /** The ELF section holding the ICU common-data package (magic DA 27, format "CmnD") of a bundle's libicudata. */
    static byte[] icuPackage(String bundle) throws IOException {
        byte[] library = null;
        try (InputStream in = EmbeddedIcuDataTest.class.getClassLoader().getResourceAsStream(EmbeddedDatabase.BUNDLES + bundle);
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().endsWith(LIBRARY) && entry.isFile()) {
                    library = tar.readAllBytes();
                }
            }
        }
        assertThat(library).as(LIBRARY + " in " + bundle).isNotNull();
        ByteBuffer elf = ByteBuffer.wrap(library).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < (elf.getShort(0x3c) & 0xffff); i++) {
            int header = (int) elf.getLong(0x28) + i * (elf.getShort(0x3a) & 0xffff);
            int offset = (int) elf.getLong(header + 0x18);
            int size = (int) elf.getLong(header + 0x20);
            if (size > 16 && elf.get(offset + 2) == (byte) 0xda && elf.get(offset + 3) == 0x27
                    && new String(library, offset + 12, 4, StandardCharsets.US_ASCII).equals("CmnD")) {
                return Arrays.copyOfRange(library, offset, offset + size);
            }
        }
        throw new AssertionError("no ELF section of " + bundle + "'s " + LIBRARY + " starts with an ICU data package");
    }

    /** The item names of the package's table of contents. */
    static List<String> items(byte[] pkg) {
        ByteBuffer data = ByteBuffer.wrap(pkg).order(ByteOrder.LITTLE_ENDIAN);
        int toc = data.getShort(0) & 0xffff;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < data.getInt(toc); i++) {
            int name = toc + data.getInt(toc + 4 + 8 * i);
            int end = name;
            while (pkg[end] != 0) {
                end++;
            }
            names.add(new String(pkg, name, end - name, StandardCharsets.US_ASCII));
        }
        return names;
    }
}
