package io.fleetcore.model;

import java.util.List;

/** Which device events a record raises; each protocol says it for its own records (none by default). */
@FunctionalInterface
public interface DeviceEvents {

    /** No record raises an event. */
    DeviceEvents NONE = record -> List.of();

    /** The events the record raises, usually none. */
    List<DeviceEvent> raisedBy(DeviceRecord record);
}
