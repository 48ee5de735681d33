package io.fleetcore.store;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.ExchangeNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Route step {@code store-records}: hands the exchange's records (body: {@code List<DeviceRecord>}) to the
 * group-commit writer and continues the exchange only when their batch has committed. A failed commit
 * sets the exception, so the route's error handler (the dead-letter channel) takes over.
 * <p>
 * After a commit the rest of the route (ACK, reply write) runs on {@code continuations}: with a pool
 * ({@code fleetcore.store.ack-threads} &gt; 0) the exchanges of one committed batch continue in parallel instead
 * of one after the other on the store's ack thread. Replies on one connection stay in order either way: the
 * gateway passes a connection's next frame on only after the previous reply was written.
 */
public final class StoreRecordsProcessor extends AsyncProcessorSupport implements AsyncProcessor {

    private final RecordStore store;
    private final Duration maxWait;
    private final Executor continuations;

    public StoreRecordsProcessor(RecordStore store, Duration maxWait) {
        this(store, maxWait, Runnable::run);
    }

    /** {@code continuations}: where the exchange continues once its batch committed or failed. */
    public StoreRecordsProcessor(RecordStore store, Duration maxWait, Executor continuations) {
        this.store = store;
        this.maxWait = maxWait;
        this.continuations = continuations;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        List<DeviceRecord> records = records(exchange);
        store.submit(records, failure -> {
            if (failure != null) {
                exchange.setException(failure);
                callback.done(false); // on the store's failure pool, as the dead-letter channel expects
                return;
            }
            exchange.setProperty(ExchangeNames.RECORDS_DURABLE, records.size());
            Continuations.resume(continuations, () -> callback.done(false));
        }, maxWait);
        return false;
    }

    @SuppressWarnings("unchecked")
    public static List<DeviceRecord> records(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && allRecords(list)) {
            return (List<DeviceRecord>) list;
        }
        throw new IllegalArgumentException("store-records expects a List<DeviceRecord> body, got "
                + (body == null ? "null" : body.getClass().getName()));
    }

    /** Once per exchange on the gateway's thread: a plain loop, no stream pipeline. */
    private static boolean allRecords(List<?> list) {
        for (Object o : list) {
            if (!(o instanceof DeviceRecord)) {
                return false;
            }
        }
        return true;
    }
}
