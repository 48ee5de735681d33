package io.fleetcore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.testing.TestServices;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/** The plugins folder's jars join the class path; a route naming the component of a missing add-on is refused by name. */
class PluginsTest {

    @Test
    void theJarsOfThePluginsFolderJoinTheClassPath() throws Exception {
        Path folder = Files.createDirectories(Path.of(TestServices.buildDir(), TestServices.unique("plugins")));
        ClassLoader parent = getClass().getClassLoader();
        assertThat(Plugins.classLoader(folder.resolve("missing"), parent)).as("no folder").isSameAs(parent);
        assertThat(Plugins.classLoader(folder, parent)).as("no jar").isSameAs(parent);
        try (OutputStream file = Files.newOutputStream(folder.resolve("add-on.jar")); JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new ZipEntry("io/fleetcore/add-on.txt"));
            jar.write("from the add-on".getBytes(StandardCharsets.UTF_8));
        }
        ClassLoader plugins = Plugins.classLoader(folder, parent);
        assertThat(parent.getResource("io/fleetcore/add-on.txt")).isNull();
        try (var in = plugins.getResourceAsStream("io/fleetcore/add-on.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the add-on");
        }
        assertThat(plugins.loadClass(Plugins.class.getName())).as("the server's own classes stay visible").isSameAs(Plugins.class);
    }

    @Test
    void aRouteWithTheComponentOfAMissingAddOnIsRefusedNamingTheAddOn() throws Exception {
        Path folder = Path.of("some-plugins");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().addContextPlugin(ComponentResolver.class, new Plugins.AddOnComponentResolver(
                    PluginHelper.getComponentResolver(camel), folder, Map.of("nowhere", "fleetcore-nowhere.jar")));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").routeId("needs-add-on").to("nowhere:out");
                }
            });
            assertThatThrownBy(camel::start).hasStackTraceContaining("the Camel component 'nowhere' is not in fleetcore.jar: it comes"
                    + " with the add-on fleetcore-nowhere.jar; put that jar into the plugins folder " + folder.toAbsolutePath()
                    + " (fleetcore.plugins, FLEETCORE_PLUGINS)");
        }
    }

    @Test
    void componentsOnTheClassPathStillResolve() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Plugins.configure(camel, Path.of("plugins"));
            assertThat(camel.getComponent("direct")).isNotNull();
            assertThat(camel.getComponent("kafka")).as("camel-kafka is on the tests' class path").isNotNull();
            assertThat(camel.getComponent("nowhere")).as("not an add-on: no component, no error").isNull();
        }
    }
}
