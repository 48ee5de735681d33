package io.fleetcore.obd;

import io.fleetcore.model.DeviceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Route step {@code normalize-obd}: {@code List<DeviceRecord>} in, the same records with canonical {@code obd} values out. */
public final class NormalizeObdProcessor implements Processor {

    private final ObdNormalizer normalizer;

    public NormalizeObdProcessor(ObdNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        if (records == null) {
            return;
        }
        List<DeviceRecord> out = new ArrayList<>(records.size());
        for (Object r : records) {
            out.add(normalizer.normalize((DeviceRecord) r));
        }
        exchange.getMessage().setBody(out);
    }
}
