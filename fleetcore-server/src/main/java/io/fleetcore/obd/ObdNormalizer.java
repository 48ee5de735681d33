package io.fleetcore.obd;

import io.fleetcore.model.DeviceRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw SAE J1979 Mode 01 responses under {@code io.obd} (any protocol, e.g. json's {@code "obd"} array) to the
 * canonical {@code obd} keys (docs/schema.md, `obd_*` columns). A protocol's own OBD ids are named in its own
 * folder (Teltonika: {@code protocol/teltonika/TeltonikaObd}). Raw values stay in {@code io}; PIDs without a
 * canonical name are left there, never an error.
 */
public final class ObdNormalizer {

    public DeviceRecord normalize(DeviceRecord record) {
        Object raw = record.io().get("obd");
        if (!(raw instanceof Iterable<?> responses)) {
            return record;
        }
        Map<String, Object> obd = new LinkedHashMap<>(record.obd());
        J1979.decodeAll(responses, obd);
        return obd.equals(record.obd()) ? record : record.withObd(obd);
    }
}
