package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.DeviceRecord;
import java.util.List;

/**
 * One decoded Teltonika UDP datagram: its packet id and AVL packet id (echoed in the ACK), the IMEI it names
 * and its records.
 */
public record TeltonikaUdpPacket(int packetId, int avlPacketId, String imei, List<DeviceRecord> records) {

    /** where the IMEI starts: length 2, packet id 2, unused byte 1, AVL packet id 1, IMEI length 2 */
    public static final int IMEI_OFFSET = 8;

    public TeltonikaUdpPacket {
        records = List.copyOf(records);
    }
}
