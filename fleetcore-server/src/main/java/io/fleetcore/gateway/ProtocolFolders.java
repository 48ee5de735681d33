package io.fleetcore.gateway;

import io.fleetcore.protocol.ProtocolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the protocols in their folders: every class {@code io.fleetcore.protocol.<folder>.<Protocol>$Provider}
 * (a {@link ProtocolProvider} nested in its protocol class) in every class-path root, a directory or a jar. So
 * a protocol is registered by its folder alone: no list, no services file. A shaded jar has no directory
 * entries, so the jar holding these classes is read through its own location as well.
 */
final class ProtocolFolders {

    static final String BASE = "io/fleetcore/protocol/";
    private static final String SUFFIX = "$Provider.class";

    private ProtocolFolders() {
    }

    /** The providers found, by class name (a stable order); each must extend {@link ProtocolProvider}. */
    static List<ProtocolProvider> providers(ClassLoader loader) {
        List<ProtocolProvider> providers = new ArrayList<>();
        for (String name : providerClassNames(loader)) {
            try {
                Class<?> type = Class.forName(name, true, loader);
                if (!ProtocolProvider.class.isAssignableFrom(type)) {
                    throw new IllegalStateException(name + " is named like a protocol provider but does not extend "
                            + ProtocolProvider.class.getName());
                }
                providers.add((ProtocolProvider) type.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("protocol provider " + name + " cannot be created: " + e, e);
            }
        }
        return providers;
    }

    /** Class names of {@code <folder>/<Protocol>$Provider} classes under {@link #BASE}. */
    static Set<String> providerClassNames(ClassLoader loader) {
        Set<String> names = new TreeSet<>();
        try {
            for (URL root : Collections.list(loader.getResources(BASE))) {
                if (root.getProtocol().equals("jar")) {
                    try (JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile()) {
                        names.addAll(inJar(jar));
                    }
                } else if (root.getProtocol().equals("file")) {
                    names.addAll(inDirectory(Path.of(root.toURI())));
                }
            }
            URL own = ProtocolProvider.class.getProtectionDomain().getCodeSource().getLocation();
            Path location = Path.of(own.toURI());
            if (Files.isRegularFile(location)) {
                try (JarFile jar = new JarFile(location.toFile())) {
                    names.addAll(inJar(jar));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the protocol folders", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the protocol folders: " + e.getMessage(), e);
        }
        return names;
    }

    static Set<String> inJar(JarFile jar) {
        Set<String> names = new TreeSet<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            String path = entry.getName();
            if (isProvider(path)) {
                names.add(className(path));
            }
        }
        return names;
    }

    private static Set<String> inDirectory(Path base) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(base, 2)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String path = BASE + base.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                if (isProvider(path)) {
                    names.add(className(path));
                }
            });
        }
        return names;
    }

    /** {@code io/fleetcore/protocol/<folder>/<Protocol>$Provider.class}: one folder deep, nested in its protocol class. */
    private static boolean isProvider(String path) {
        if (!path.startsWith(BASE) || !path.endsWith(SUFFIX)) {
            return false;
        }
        String rest = path.substring(BASE.length());
        int slash = rest.indexOf('/');
        return slash > 0 && rest.indexOf('/', slash + 1) < 0 && rest.indexOf('$') > slash + 1
                && rest.indexOf('$') == rest.length() - SUFFIX.length();
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
