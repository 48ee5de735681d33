package io.fleetcore.protocol.gt06;

/**
 * CRC-ITU as GT06 uses it: CRC-16/X-25 (poly 0x1021 reflected = 0x8408, init FFFF, final xor FFFF), table
 * driven. Check value of ASCII "123456789": {@code 906E}. Computed over length .. serial number.
 */
public final class Gt06Crc {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Gt06Crc() {
    }

    public static int crc(byte[] bytes, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }
}
