package io.fleetcore;

import io.fleetcore.config.FleetcoreConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * fleetcore as one object: the runtime (database, writer, beans) plus camel-main running the route files.
 * {@link #runUntilStopped()} is the process's life (SIGTERM drains and exits); {@link #start()} and
 * {@link #close()} serve tests and tools that embed it.
 */
public final class FleetcoreServer implements AutoCloseable {

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
                try {
                    // added first, so stopped last: after every route has drained its in-flight exchanges
                    m.getCamelContext().addService(new RuntimeService(runtime), true, true);
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

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C); in-flight exchanges finish first. */
    public void runUntilStopped() throws Exception {
        main.run();
    }

    /** Starts Camel and returns once every route is up. */
    public FleetcoreServer start() {
        try {
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

    /** Stops Camel (draining in-flight exchanges), then the runtime. */
    @Override
    public void close() {
        try {
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
