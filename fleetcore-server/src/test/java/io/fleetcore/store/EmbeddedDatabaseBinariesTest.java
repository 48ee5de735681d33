package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The embedded start takes the repacked bundle (fleetcore-postgres/, built by the server module) on Linux amd64
 * and arm64, though zonky's own bundles are on this class path too; another platform falls back to zonky's.
 */
class EmbeddedDatabaseBinariesTest {

    private static long size(InputStream in) throws Exception {
        try (in) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    @Test
    void linuxTakesTheRepackedBundleOverZonkys() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        for (String[] platform : new String[][] {{"Linux", "amd64", "x86_64"}, {"Linux", "aarch64", "arm_64"}}) {
            String bundle = "postgres-linux-" + platform[2] + ".txz";
            long repacked = size(loader.getResourceAsStream(EmbeddedDatabase.BUNDLES + bundle));
            long zonkys = size(loader.getResourceAsStream(bundle));
            assertThat(repacked).as("the repack makes it smaller").isLessThan(zonkys);
            assertThat(size(EmbeddedDatabase.binaries(platform[0], platform[1]))).as(bundle).isEqualTo(repacked);
        }
    }
}
