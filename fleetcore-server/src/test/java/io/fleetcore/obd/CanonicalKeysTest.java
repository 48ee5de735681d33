package io.fleetcore.obd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.Keys;
import io.fleetcore.protocol.teltonika.TeltonikaObd;
import io.fleetcore.protocol.teltonika.TeltonikaProtocolDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Teltonika's OBD table writes exactly the canonical OBD keys of {@link Keys#OBD}, no other name. */
class CanonicalKeysTest {

    @Test
    void everyObdKeyTheNormalizerWritesIsAKeysConstantAndEveryConstantIsWritten() {
        Map<String, Object> io = new LinkedHashMap<>();
        for (String id : List.of("30", "31", "32", "36", "37", "39", "40", "41", "48", "51", "53", "389")) {
            io.put(id, 7L);
        }
        io.put("256", HexFormat.of().formatHex("WVWZZZ1JZXW000001".getBytes(StandardCharsets.US_ASCII)));
        io.put("281", HexFormat.of().formatHex("P0301,P0420".getBytes(StandardCharsets.US_ASCII)));
        DeviceRecord r = new DeviceRecord("dev-1", Instant.parse("2024-01-01T00:00:00Z"), 1, 2, null, null, null, null, null,
                "1", TeltonikaProtocolDecoder.PROTOCOL, Map.of(), io);
        assertThat(TeltonikaObd.named(r).obd().keySet()).containsExactlyInAnyOrderElementsOf(Keys.OBD);
    }
}
