package io.fleetcore.protocol;

/**
 * A reflected CRC-16, table driven: the eight shift-and-xor steps of the bitwise CRC are done once per byte
 * value, so each byte of a frame costs one table step. The protocols' variants are constants here.
 */
public final class Crc16 {

    /** CRC-16/ARC (IBM), Teltonika's: poly 0x8005 reflected (0xA001), init 0, no final xor. Check: BB3D. */
    public static final Crc16 ARC = new Crc16(0xA001, 0x0000, 0x0000);
    /** CRC-16/X-25 (CRC-ITU), GT06's: poly 0x1021 reflected (0x8408), init FFFF, final xor FFFF. Check: 906E. */
    public static final Crc16 X25 = new Crc16(0x8408, 0xFFFF, 0xFFFF);

    private final int[] table = new int[256];
    private final int init;
    private final int xorOut;

    private Crc16(int reflectedPoly, int init, int xorOut) {
        for (int n = 0; n < 256; n++) {
            int crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflectedPoly : crc >>> 1;
            }
            table[n] = crc;
        }
        this.init = init;
        this.xorOut = xorOut;
    }

    /** The CRC of {@code length} bytes from {@code offset}. */
    public int of(byte[] bytes, int offset, int length) {
        int crc = init;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ table[(crc ^ bytes[i]) & 0xFF];
        }
        return crc ^ xorOut;
    }
}
