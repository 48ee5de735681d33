package io.fleetcore.store;

import io.fleetcore.model.DeviceRecord;
import java.time.Duration;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Route step {@code store-records}: hands the exchange's records (body: {@code List<DeviceRecord>}) to the
 * group-commit writer and continues the exchange only when their batch has committed. A failed commit
 * sets the exception, so the route's error handler (the dead-letter channel) takes over.
 */
public final class StoreRecordsProcessor extends AsyncProcessorSupport implements AsyncProcessor {

    /** Exchange property: number of records of this exchange that are durable. */
    public static final String RECORDS_DURABLE = "fleetcoreRecordsDurable";

    private final RecordStore store;
    private final Duration maxWait;

    public StoreRecordsProcessor(RecordStore store, Duration maxWait) {
        this.store = store;
        this.maxWait = maxWait;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        List<DeviceRecord> records = records(exchange);
        store.submit(records, failure -> {
            if (failure == null) {
                exchange.setProperty(RECORDS_DURABLE, records.size());
            } else {
                exchange.setException(failure);
            }
            callback.done(false);
        }, maxWait);
        return false;
    }

    @SuppressWarnings("unchecked")
    public static List<DeviceRecord> records(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && list.stream().allMatch(DeviceRecord.class::isInstance)) {
            return (List<DeviceRecord>) list;
        }
        throw new IllegalArgumentException("store-records expects a List<DeviceRecord> body, got "
                + (body == null ? "null" : body.getClass().getName()));
    }
}
