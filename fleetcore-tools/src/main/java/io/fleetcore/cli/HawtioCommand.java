package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar fleetcore-tools.jar hawtio}: the Hawtio 4 console, connected to a running fleetcore. */
@Command(name = "hawtio", mixinStandardHelpOptions = true,
        description = "Serves the Hawtio console connected to a running fleetcore's Jolokia; open http://HOST:PORT/")
public final class HawtioCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(HawtioCommand.class);

    @Option(names = "--host", description = "address to listen on (default: fleetcore.hawtio.host)")
    String host;

    @Option(names = "--port", description = "port to listen on (default: fleetcore.hawtio.port)")
    Integer port;

    @Option(names = "--jolokia", description = "fleetcore's Jolokia URL (default: from fleetcore.management.host/port)")
    URI jolokia;

    @Option(names = "--war", description = "Hawtio's web archive (default: fleetcore.hawtio.war, else hawtio/hawtio.war beside the jar)")
    Path war;

    @Option(names = "--jolokia-users-file", description = "when fleetcore's Jolokia wants a login: its management users file"
            + " (user.NAME=PASSWORD,ROLE), e.g. DATA_DIR/management-users.properties (default: fleetcore.hawtio.jolokia-users-file)")
    Path usersFile;

    @Option(names = "--jolokia-user", description = "the user to log in as (default: fleetcore.hawtio.jolokia-user, else the users"
            + " file's first user, else fleetcore); the password comes from the users file or FLEETCORE_HAWTIO_JOLOKIA_PASSWORD")
    String jolokiaUser;

    @Override
    public Integer call() throws Exception {
        FleetcoreConfig config = FleetcoreConfig.load();
        String h = host != null ? host : config.get("fleetcore.hawtio.host");
        int p = port != null ? port : config.getInt("fleetcore.hawtio.port");
        URI j = jolokia != null ? jolokia : defaultJolokia(config);
        Path w = war != null ? war : defaultWar(config);
        String configuredFile = config.get("fleetcore.hawtio.jolokia-users-file", "");
        Path users = usersFile != null ? usersFile : configuredFile.isBlank() ? null : Path.of(configuredFile);
        JolokiaLogin login = JolokiaLogin.resolve(users, jolokiaUser != null ? jolokiaUser : config.get("fleetcore.hawtio.jolokia-user", ""),
                config.get("fleetcore.hawtio.jolokia-password", "")).orElse(null);
        try (HawtioConsole console = HawtioConsole.start(h, p, w, j, Path.of(System.getProperty("java.io.tmpdir"), "fleetcore-hawtio-" + p),
                login)) {
            LOG.info("Hawtio console for fleetcore at {} ({}): open http://{}:{}/", j,
                    login == null ? "no login" : "logged in as " + login.user(), h, console.port());
            console.join();
        }
        return 0;
    }

    static URI defaultJolokia(FleetcoreConfig config) {
        String mhost = config.get("fleetcore.management.host");
        if (mhost.equals("0.0.0.0")) {
            mhost = "127.0.0.1";
        }
        return URI.create("http://" + mhost + ":" + config.getInt("fleetcore.management.port") + "/observe/jolokia");
    }

    static Path defaultWar(FleetcoreConfig config) {
        String configured = config.get("fleetcore.hawtio.war", "");
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        try {
            Path jar = Path.of(HawtioCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            if (dir != null && jar.toString().endsWith(".jar")) {
                return dir.resolve("hawtio").resolve("hawtio.war");
            }
        } catch (Exception e) {
            // not run from a jar: fall through
        }
        return Path.of("target", "hawtio", "hawtio.war");
    }
}
