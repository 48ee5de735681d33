package io.fleetcore.obd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fleetcore.model.DeviceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObdNormalizerTest {

    private final ObdNormalizer normalizer = new ObdNormalizer();

    private static DeviceRecord record(String protocol, Map<String, Object> io) {
        return new DeviceRecord("dev-1", Instant.parse("2024-01-01T00:00:00Z"), 1, 2, null, null, null, null, null,
                "1", protocol, Map.of(), io);
    }

    @Test
    void jsonObdResponsesAreNamedAndUnknownPidsStayRaw() {
        List<String> raw = List.of("410C1AF8", "41057B", "4101830764E0");
        DeviceRecord out = normalizer.normalize(record("json", Map.of("obd", raw, "36", 5L)));
        assertThat(out.obd()).containsOnly(entry("rpm", 1726L), entry("coolant_temp_c", 83L));
        assertThat(out.io()).containsEntry("obd", raw);
    }

    @Test
    void recordWithoutObdDataIsUnchanged() {
        DeviceRecord in = record("json", Map.of("note", "x"));
        assertThat(normalizer.normalize(in)).isSameAs(in);
    }
}
