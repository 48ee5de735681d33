package io.fleetcore.protocol.teltonika;

/**
 * What the server writes to a Teltonika device: over TCP the login answer {@code 01}/{@code 00} and the AVL ACK as
 * a 4-byte count; over UDP one ACK datagram.
 */
public final class TeltonikaResponse {

    private TeltonikaResponse() {
    }

    /** IMEI accepted. */
    public static byte[] accept() {
        return new byte[] {1};
    }

    /** IMEI refused (unknown or disabled device); the connection is closed after it. */
    public static byte[] reject() {
        return new byte[] {0};
    }

    /** The number of records accepted, big-endian, 4 bytes. */
    public static byte[] ack(int records) {
        return new byte[] {(byte) (records >>> 24), (byte) (records >>> 16), (byte) (records >>> 8), (byte) records};
    }

    /**
     * The ACK datagram of a UDP packet: length {@code 0005}, the packet's packet id, {@code 01} (a byte the
     * protocol does not use), its AVL packet id and the number of records accepted (1 byte).
     */
    public static byte[] udpAck(int packetId, int avlPacketId, int records) {
        return new byte[] {0, 5, (byte) (packetId >>> 8), (byte) packetId, 1, (byte) avlPacketId, (byte) records};
    }
}
