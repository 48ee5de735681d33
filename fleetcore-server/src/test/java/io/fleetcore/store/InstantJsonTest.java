package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordJson#MAPPER} writes and reads instants with {@link InstantJson} instead of Jackson's
 * formatter-based (de)serializer: the same text out, the same instant (or the same refusal) in.
 */
class InstantJsonTest {

    /** What MAPPER was before: Jackson's own Instant handling. */
    private static final ObjectMapper JACKSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false).build();

    @Test
    void sameTextAndInstantAsJackson() throws Exception {
        Random random = new Random(17);
        long min = Instant.parse("0000-06-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int nano = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                case 3 -> random.nextInt(1_000_000_000);
                default -> random.nextInt(10) * 100_000_000;
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            String json = RecordJson.MAPPER.writeValueAsString(t);
            assertThat(json).isEqualTo(JACKSON.writeValueAsString(t)).isEqualTo("\"" + t + "\"");
            assertThat(RecordJson.MAPPER.readValue(json, Instant.class)).isEqualTo(t);
        }
    }

    @Test
    void otherShapesReadAsJacksonReadsThem() throws Exception {
        for (String text : new String[] {"2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.123456789Z",
                "2026-01-01t00:00:00z", "2026-01-01T00:00:00+02:00", "+12026-01-01T00:00:00Z", "2026-12-31T23:59:60Z",
                "0000-01-01T00:00:00Z", "1", "1767225600", "1767225600.5"}) {
            String json = text.matches("[0-9.]+") ? text : "\"" + text + "\"";
            assertThat(RecordJson.MAPPER.readValue(json, Instant.class)).as(text).isEqualTo(JACKSON.readValue(json, Instant.class));
        }
        int refused = 0;
        for (String odd : new String[] {"\"2026-02-30T00:00:00Z\"", "\"2026-01-01T25:00:00Z\"", "\"2026-01-01T24:00:00Z\"",
                "\"2026-01-01T00:00:00.Z\"", "\"2026-01-01T00:00:00.1234567891Z\"", "\"2026-1-01T00:00:00Z\"", "\"yesterday\""}) {
            String jackson = outcome(JACKSON, odd);
            assertThat(outcome(RecordJson.MAPPER, odd)).as(odd).isEqualTo(jackson);
            refused += jackson.startsWith("refused") ? 1 : 0;
        }
        assertThat(refused).isGreaterThanOrEqualTo(5);
    }

    private static String outcome(ObjectMapper mapper, String json) {
        try {
            return "read " + mapper.readValue(json, Instant.class);
        } catch (Exception e) {
            return "refused " + e.getClass().getSimpleName();
        }
    }

    @Test
    void fastPathsTakeTheUsualShapes() {
        assertThat(InstantJson.parse("2026-01-01T00:00:00.120Z")).isEqualTo(Instant.parse("2026-01-01T00:00:00.120Z"));
        assertThat(InstantJson.parse("2026-01-01T00:00:00+02:00")).isNull();
        assertThat(InstantJson.format(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(InstantJson.format(Instant.parse("9999-12-31T23:59:59.999999Z"))).isEqualTo("9999-12-31T23:59:59.999999Z");
    }
}
