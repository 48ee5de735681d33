package io.fleetcore.feed;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.ScheduledPollEndpoint;

/** One feed: its name (the path of the URI), source and batch size. Consumer only. */
public final class FeedEndpoint extends ScheduledPollEndpoint {

    private final String name;
    private String source = "records";
    private int batchSize = 5000;

    FeedEndpoint(String uri, FeedComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("fleetcore-feed endpoints only consume (from: fleetcore-feed:" + name + ")");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FeedComponent component = (FeedComponent) getComponent();
        Feed feed = new Feed(component.dataSource(), name, FeedSource.parse(source), batchSize);
        FeedConsumer consumer = new FeedConsumer(this, processor, feed, component.meters());
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
