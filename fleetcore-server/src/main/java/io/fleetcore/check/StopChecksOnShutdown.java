package io.fleetcore.check;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * When Camel starts stopping (SIGTERM), tells the quality check to stop after its current chunk, before
 * Camel waits for in-flight exchanges: a run through a large backlog would otherwise hold the shutdown for
 * its whole length. camel-main registers this notifier because it is a bean of type EventNotifier.
 */
public final class StopChecksOnShutdown extends EventNotifierSupport {

    private final QualityChecker checker;

    public StopChecksOnShutdown(QualityChecker checker) {
        this.checker = checker;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        checker.stop();
    }
}
