package io.fleetcore.protocol.teltonika;

/** What the server writes to a Teltonika device: login answer {@code 01}/{@code 00}, AVL ACK as a 4-byte count. */
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
}
