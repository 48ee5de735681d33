package io.fleetcore;

import io.fleetcore.config.FleetcoreConfig;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fleetcore as one object: the runtime (database, writer, beans) plus camel-main running the route files.
 * {@link #runUntilStopped()} is the process's life (SIGTERM drains and exits); {@link #start()} and
 * {@link #close()} serve tests and tools that embed it.
 */
public final class FleetcoreServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetcoreServer.class);

    private final FleetcoreRuntime runtime;
    private final Main main;

    private FleetcoreServer(FleetcoreRuntime runtime) {
        this.runtime = runtime;
        this.main = new Main();
        runtime.bindTo(main::bind);
        main.setOverrideProperties(runtime.camelProperties());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                long configured = System.nanoTime();
                try {
                    // add-on jars (plugins folder): Camel finds their components, or names the one a route misses
                    io.fleetcore.config.Plugins.configure(m.getCamelContext(), io.fleetcore.config.Plugins.folder(runtime.config()));
                    // added first, so stopped last: after every route has drained its in-flight exchanges
                    m.getCamelContext().addService(new RuntimeService(runtime), true, true);
                    // beans bound before the context existed (the alert publisher sends to a route)
                    runtime.beans().values().forEach(b -> org.apache.camel.CamelContextAware.trySetCamelContext(b, m.getCamelContext()));
                    // where the start-up time went, once every route (and so every gateway port) is up
                    m.getCamelContext().addStartupListener(new org.apache.camel.StartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                            StartupTimes.record(StartupTimes.ROUTES, (System.nanoTime() - configured) / 1_000_000);
                            LOG.info("fleetcore {}", StartupTimes.summary());
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot register the fleetcore runtime with Camel", e);
                }
            }
        });
    }

    /** Builds the runtime (starts PostgreSQL and the broker when embedded); Camel is not started yet. */
    public static FleetcoreServer create(FleetcoreConfig config) {
        return new FleetcoreServer(FleetcoreRuntime.start(config));
    }

    /**
     * Runs until SIGTERM or SIGINT (Ctrl-C), then drains: the gateways stop accepting, every in-flight
     * exchange finishes (stored or dead-lettered, its ACK written) within {@code camel.main.shutdown-timeout},
     * the runtime closes, and this returns, so the process exits 0. The signals are taken over from the JVM's
     * default (which would exit 143 from a shutdown hook) so the drain runs on the main thread.
     */
    public void runUntilStopped() throws Exception {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("SIG{} received: stopping gateways, finishing in-flight exchanges", name);
                    drainGateways();
                    main.completed();
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} here ({}); the JVM's shutdown hook stops fleetcore instead", name, e.getMessage());
            }
        }
        main.run();
        LOG.info("fleetcore stopped");
    }

    /** Starts Camel and returns once every route is up. */
    public FleetcoreServer start() {
        try {
            // embedded (tests, tools): whoever started it closes it; no JVM shutdown hook of Camel's that
            // would hold the JVM's exit for the shutdown timeout
            main.setShutdownStrategy(new org.apache.camel.main.SimpleMainShutdownStrategy());
            main.start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return this;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public FleetcoreRuntime runtime() {
        return runtime;
    }

    /**
     * Stops accepting connections and frames and waits until every frame read has its reply, at most
     * {@code camel.main.shutdown-timeout} seconds. Camel's stop of a netty consumer closes its connections at
     * once; after this there is nothing left on them to answer.
     */
    void drainGateways() {
        runtime.connections().drain(Duration.ofSeconds(runtime.config().getInt("camel.main.shutdown-timeout")));
    }

    /** Drains the gateways, stops Camel (in-flight exchanges finish), then the runtime. */
    @Override
    public void close() {
        try {
            drainGateways();
            main.stop();
        } finally {
            runtime.close();
        }
    }

    /** Closes the runtime (writer, pool, embedded services) when Camel stops its services. */
    static final class RuntimeService extends ServiceSupport {
        private final FleetcoreRuntime runtime;

        RuntimeService(FleetcoreRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        protected void doStop() {
            runtime.close();
        }
    }
}
