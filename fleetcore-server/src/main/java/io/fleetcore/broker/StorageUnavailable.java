package io.fleetcore.broker;

import io.fleetcore.store.StorageFailures;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/** Predicate {@code storageUnavailable}: the exchange failed because the database could not be reached. */
public final class StorageUnavailable implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return failure != null && StorageFailures.isUnavailable(failure);
    }
}
