package io.fleetcore.feed;

import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code fleetcore-feed:<name>}: a route that starts {@code from: fleetcore-feed:records} receives the stored
 * rows of its source in batches (the body is a {@code List<FeedItem>}) and the cursor advances only when the
 * route completed the exchange without an exception. Options: {@code source} ({@code records} or {@code events}),
 * {@code batchSize}, and the scheduled-poll options Camel consumers share ({@code delay}, {@code greedy},
 * {@code backoffMultiplier}, {@code backoffErrorThreshold}, ...).
 */
public final class FeedComponent extends DefaultComponent {

    private final DataSource dataSource;
    private final FeedMeters meters;

    public FeedComponent(DataSource dataSource, FeedMeters meters) {
        this.dataSource = dataSource;
        this.meters = meters;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FeedEndpoint endpoint = new FeedEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    DataSource dataSource() {
        return dataSource;
    }

    FeedMeters meters() {
        return meters;
    }
}
