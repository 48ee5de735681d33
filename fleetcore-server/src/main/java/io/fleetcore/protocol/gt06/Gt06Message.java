package io.fleetcore.protocol.gt06;

import io.fleetcore.model.DeviceRecord;
import java.util.List;
import java.util.Map;

/**
 * A decoded GT06 frame: its protocol number and serial number (the reply echoes both), the IMEI of the device,
 * the records it carries (location and alarm: one; login and heartbeat: none) and, for a heartbeat, the
 * terminal status it reports under canonical keys (a heartbeat has no position, so it is not a record).
 */
public record Gt06Message(int protocolNumber, int serial, String imei, List<DeviceRecord> records, Map<String, Object> status) {

    public Gt06Message {
        records = List.copyOf(records);
        status = Map.copyOf(status);
    }

    public boolean login() {
        return protocolNumber == Gt06ProtocolDecoder.LOGIN;
    }
}
