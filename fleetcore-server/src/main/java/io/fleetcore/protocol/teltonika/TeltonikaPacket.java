package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.RawFrame;

/**
 * One AVL packet (preamble … CRC) as {@link TeltonikaFrameDecoder} framed it by its length field, with the
 * IMEI its connection logged in with.
 */
public record TeltonikaPacket(String imei, byte[] bytes) implements RawFrame {

    @Override
    public String toString() {
        return "TeltonikaPacket[" + imei + ", " + bytes.length + " bytes]";
    }
}
