package io.fleetcore.protocol.teltonika;

/**
 * One AVL packet (preamble … CRC) as {@link TeltonikaFrameDecoder} framed it by its length field, with the
 * IMEI its connection logged in with.
 */
public record TeltonikaPacket(String imei, byte[] bytes) {

    @Override
    public String toString() {
        return "TeltonikaPacket[" + imei + ", " + bytes.length + " bytes]";
    }
}
