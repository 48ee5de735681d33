package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesFolderTest {

    @Test
    void folderWithSharedFolderInside(@TempDir Path tmp) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.createDirectories(routes.resolve("shared"));
        String p = FleetcoreRuntime.routesIncludePattern(routes.toString());
        assertThat(p.split(",")).containsExactly(
                "file:" + routes + "/*.camel.yaml", "file:" + routes + "/*.xml",
                "file:" + routes + "/shared/*.camel.yaml", "file:" + routes + "/shared/*.xml");
    }

    @Test
    void topologyFolderSharesTheSharedFolderBesideIt(@TempDir Path tmp) throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.createDirectories(routes.resolve("shared"));
        Path brokerFirst = Files.createDirectories(routes.resolve("broker-first"));
        String p = FleetcoreRuntime.routesIncludePattern(brokerFirst.toString());
        assertThat(p.split(",")).containsExactly(
                "file:" + brokerFirst + "/*.camel.yaml", "file:" + brokerFirst + "/*.xml",
                "file:" + routes + "/shared/*.camel.yaml", "file:" + routes + "/shared/*.xml");
    }

    @Test
    void missingFolderFallsBackToTheCopyInTheJar(@TempDir Path tmp) {
        assertThat(FleetcoreRuntime.routesIncludePattern(tmp.resolve("nope").toString())).startsWith("classpath:routes/");
    }
}
