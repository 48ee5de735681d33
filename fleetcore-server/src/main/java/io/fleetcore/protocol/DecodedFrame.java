package io.fleetcore.protocol;

import io.fleetcore.model.DeviceRecord;
import java.util.List;

/** A decoded frame: its raw bytes, its device (null while unknown), whether it is a login, and its records. */
public record DecodedFrame(byte[] bytes, String deviceUid, boolean login, List<DeviceRecord> records) {

    public DecodedFrame {
        records = List.copyOf(records);
    }

    public static DecodedFrame login(byte[] bytes, String deviceUid) {
        return new DecodedFrame(bytes, deviceUid, true, List.of());
    }

    public static DecodedFrame records(byte[] bytes, String deviceUid, List<DeviceRecord> records) {
        return new DecodedFrame(bytes, deviceUid, false, records);
    }
}
