package io.fleetcore.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Teltonika AVL record as the device encodes it. IO values sit in the group of their width
 * (1, 2, 4, 8 bytes, or variable length NX for Codec 8E); insertion order is wire order.
 */
public record AvlRecord(
        long timestampMillis,
        int priority,
        int longitudeE7,
        int latitudeE7,
        int altitude,
        int angle,
        int satellites,
        int speedKmh,
        int eventIoId,
        Map<Integer, Long> io1,
        Map<Integer, Long> io2,
        Map<Integer, Long> io4,
        Map<Integer, Long> io8,
        Map<Integer, byte[]> ioNx) {

    public AvlRecord {
        io1 = new LinkedHashMap<>(io1);
        io2 = new LinkedHashMap<>(io2);
        io4 = new LinkedHashMap<>(io4);
        io8 = new LinkedHashMap<>(io8);
        ioNx = new LinkedHashMap<>(ioNx);
    }

    public int ioCount() {
        return io1.size() + io2.size() + io4.size() + io8.size() + ioNx.size();
    }
}
