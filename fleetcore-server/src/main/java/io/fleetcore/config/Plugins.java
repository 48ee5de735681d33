package io.fleetcore.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Add-on jars that fleetcore.jar does not carry (fleetcore-kafka.jar: Camel's Kafka component and the Kafka
 * client, for the Kafka feed): the jars in the plugins folder ({@code fleetcore.plugins}, {@code FLEETCORE_PLUGINS},
 * default {@code plugins}) join the class path before Camel starts, through a class loader that becomes the
 * thread's context class loader and Camel's application class loader. A route that names the component of an
 * add-on that is not there is refused at start, naming the add-on and the folder.
 */
public final class Plugins {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    public static final String KEY = "fleetcore.plugins";
    /** Camel component scheme: the add-on jar that carries it. */
    public static final Map<String, String> ADD_ONS = Map.of("kafka", "fleetcore-kafka.jar");

    private Plugins() {
    }

    public static Path folder(FleetcoreConfig config) {
        return Path.of(config.get(KEY, "plugins"));
    }

    /** A loader of the folder's jars (name order) over {@code parent}; {@code parent} itself when there are none. */
    public static ClassLoader classLoader(Path folder, ClassLoader parent) {
        if (!Files.isDirectory(folder)) {
            return parent;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins folder " + folder.toAbsolutePath(), e);
        }
        if (jars.isEmpty()) {
            return parent;
        }
        LOG.info("plugins from {}: {}", folder.toAbsolutePath(), jars.stream().map(p -> p.getFileName().toString()).toList());
        return new URLClassLoader("fleetcore-plugins", jars.stream().map(Plugins::url).toArray(URL[]::new), parent);
    }

    /** The plugins of {@code config} become the current thread's context class loader (the server's main thread). */
    public static void install(FleetcoreConfig config) {
        Thread.currentThread().setContextClassLoader(classLoader(folder(config), Plugins.class.getClassLoader()));
    }

    /** Camel looks up classes and components through the context class loader, and names missing add-ons. */
    public static void configure(CamelContext camel, Path folder) {
        camel.setApplicationContextClassLoader(Thread.currentThread().getContextClassLoader());
        camel.getCamelContextExtension().addContextPlugin(ComponentResolver.class,
                new AddOnComponentResolver(PluginHelper.getComponentResolver(camel), folder, ADD_ONS));
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar.toString(), e);
        }
    }

    /** Camel's resolver, which fails with the add-on's name where it would find no component of that scheme. */
    static final class AddOnComponentResolver implements ComponentResolver {

        private final ComponentResolver delegate;
        private final Path folder;
        private final Map<String, String> addOns;

        AddOnComponentResolver(ComponentResolver delegate, Path folder, Map<String, String> addOns) {
            this.delegate = delegate;
            this.folder = folder;
            this.addOns = addOns;
        }

        @Override
        public Component resolveComponent(String name, CamelContext context) throws Exception {
            Component component = delegate.resolveComponent(name, context);
            if (component == null && addOns.containsKey(name)) {
                throw new IllegalStateException("the Camel component '" + name + "' is not in fleetcore.jar: it comes with the add-on "
                        + addOns.get(name) + "; put that jar into the plugins folder " + folder.toAbsolutePath()
                        + " (" + KEY + ", " + FleetcoreConfig.envName(KEY) + ")");
            }
            return component;
        }
    }
}
