package io.fleetcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import java.util.HexFormat;
import java.util.List;

/** Base of decoder tests: hex vectors in, records and replies checked field by field. */
public abstract class ProtocolTest {

    /** Bytes of a hex vector; spaces are ignored. */
    protected static byte[] binary(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    protected static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** Asserts the number of records and that every one is complete; returns them for value checks. */
    protected static List<DeviceRecord> verifyRecords(List<DeviceRecord> records, int expected) {
        assertThat(records).hasSize(expected);
        for (DeviceRecord r : records) {
            assertThat(r.deviceUid()).isNotBlank();
            assertThat(r.fixTime()).isNotNull();
            assertThat(r.protocol()).isNotBlank();
        }
        return records;
    }

    /** Asserts that a reply is exactly the expected bytes (hex). */
    protected static void verifyAck(byte[] reply, String expectedHex) {
        assertThat(hex(reply)).isEqualTo(expectedHex.toUpperCase());
    }
}
