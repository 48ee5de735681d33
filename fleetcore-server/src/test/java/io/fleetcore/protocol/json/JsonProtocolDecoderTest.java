package io.fleetcore.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.UnstorableContentException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonProtocolDecoderTest {

    private final JsonProtocolDecoder decoder = new JsonProtocolDecoder();

    private DeviceRecord decode(String json) throws ProtocolException {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Source: the Python ingest's device message, as in the README's first example. */
    @Test
    void pythonIngestMessage() throws Exception {
        DeviceRecord r = decode("{\"device_number\": \"86915304265485\", \"event_code\": \"4002\","
                + " \"message_date\": \"2020/02/05 12:18:28\", \"latitude\": \"37.9815116\", \"longitude\": \"23.7315200\"}");
        assertThat(r.deviceUid()).isEqualTo("86915304265485");
        assertThat(r.eventCode()).isEqualTo("4002");
        assertThat(r.fixTime()).isEqualTo(Instant.parse("2020-02-05T12:18:28Z"));
        assertThat(r.latitude()).isEqualTo(37.9815116);
        assertThat(r.longitude()).isEqualTo(23.73152);
        assertThat(r.protocol()).isEqualTo("json");
        assertThat(r.io()).isEmpty();
        assertThat(r.obd()).isEmpty();
        assertThat(r.speedKmh()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2020-02-05T12:18:28Z|2020-02-05T12:18:28Z",
            "2020-02-05T14:18:28+02:00|2020-02-05T12:18:28Z",
            "2020-02-05T12:18:28|2020-02-05T12:18:28Z",
            "2020/02/05 12:18:28|2020-02-05T12:18:28Z"})
    void acceptsIsoDates(String given, String expected) throws Exception {
        assertThat(JsonProtocolDecoder.date(given, "d")).isEqualTo(Instant.parse(expected));
    }

    @Test
    void numbersAsJsonNumbersAreAcceptedToo() throws Exception {
        DeviceRecord r = decode("{\"device_number\":86915304265485,\"event_code\":7000,\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":-33.5,\"longitude\":151.25}");
        assertThat(r.deviceUid()).isEqualTo("86915304265485");
        assertThat(r.eventCode()).isEqualTo("7000");
        assertThat(r.latitude()).isEqualTo(-33.5);
        assertThat(r.longitude()).isEqualTo(151.25);
    }

    @Test
    void outOfRangeValuesThatParseAreKeptForTheQualityChecks() throws Exception {
        DeviceRecord r = decode("{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2099/01/01 00:00:00\","
                + "\"latitude\":\"120\",\"longitude\":\"200\"}");
        assertThat(r.latitude()).isEqualTo(120.0);
        assertThat(r.longitude()).isEqualTo(200.0);
        assertThat(r.fixTime()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
    }

    @Test
    void rawObdResponsesAndExtraFieldsAreKeptInIo() throws Exception {
        DeviceRecord r = decode("{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"1\",\"longitude\":\"2\",\"obd\":[\"410c1af8\",\"41 05 7B\"],\"firmware\":\"1.2\"}");
        assertThat(r.io()).containsEntry("obd", List.of("410C1AF8", "41057B")).containsEntry("firmware", "1.2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|invalid-json",
            "[1,2,3]|not-json-object",
            "{\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}|missing-field",
            "{\"device_number\":\"d\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}|missing-field",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"latitude\":\"1\",\"longitude\":\"2\"}|missing-field",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"longitude\":\"2\"}|missing-field",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\"}|missing-field",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"north\",\"longitude\":\"2\"}|bad-number",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"NaN\",\"longitude\":\"2\"}|bad-number",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"05/02/2020\",\"latitude\":\"1\",\"longitude\":\"2\"}|bad-date",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/30 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}|bad-date",
            "{\"device_number\":\"d\\u0000x\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}|bad-device-number",
            "{\"device_number\":{\"a\":1},\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}|bad-field",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\",\"obd\":[\"zz\"]}|bad-obd",
            "{\"device_number\":\"d\",\"event_code\":\"1\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\",\"obd\":\"410C\"}|bad-obd"})
    void refusesBadFramesWithAReason(String json, String reason) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).reason()).isEqualTo(reason));
    }

    static final String BASE = "\"device_number\":\"dev-13\",\"event_code\":\"4002\",\"latitude\":\"37.98\",\"longitude\":\"23.73\"";

    /**
     * Issue 13: intact frames PostgreSQL cannot store (U+0000 in text or jsonb, a year it cannot hold, extra
     * fields beyond the limits) are refused here as unstorable content, not ACKed, retried and parked.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{BASE,\"message_date\":\"2020/02/05 12:18:28\",\"note\":\"a\\u0000b\"}`|nul-character",
            "`{BASE,\"message_date\":\"2020/02/05 12:18:28\",\"a\\u0000\":\"x\"}`|nul-character",
            "`{BASE,\"message_date\":\"2020/02/05 12:18:28\",\"nested\":{\"k\":[\"\\u0000\"]}}`|nul-character",
            "`{\"device_number\":\"dev-13\",\"event_code\":\"40\\u000002\",\"message_date\":\"2020/02/05 12:18:28\",\"latitude\":\"1\",\"longitude\":\"2\"}`|nul-character",
            "`{BASE,\"message_date\":\"+294277-01-01T00:00:00Z\"}`|bad-date",
            "`{BASE,\"message_date\":\"+10000-01-01T00:00:00Z\"}`|bad-date",
            "`{BASE,\"message_date\":\"-0001-12-31T23:59:59Z\"}`|bad-date"})
    void refusesIntactFramesThatCanNeverBeStored(String json, String reason) {
        assertThatThrownBy(() -> decode(json.replace("BASE", BASE)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.deviceUid()).isEqualTo("dev-13");
                    assertThat(e).isInstanceOf(UnstorableContentException.class);
                });
    }

    @Test
    void extraFieldsAreLimitedInCountAndLength() throws Exception {
        StringBuilder many = new StringBuilder("{" + BASE + ",\"message_date\":\"2020/02/05 12:18:28\"");
        for (int i = 0; i < JsonProtocolDecoder.MAX_EXTRA_FIELDS; i++) {
            many.append(",\"f").append(i).append("\":\"").append(i).append('"');
        }
        assertThat(decode(many + "}").io()).hasSize(JsonProtocolDecoder.MAX_EXTRA_FIELDS);
        assertThatThrownBy(() -> decode(many + ",\"one_more\":\"x\"}"))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("too-many-fields"));
        String longName = "k".repeat(JsonProtocolDecoder.MAX_FIELD_NAME + 1);
        assertThatThrownBy(() -> decode("{" + BASE + ",\"message_date\":\"2020/02/05 12:18:28\",\"" + longName + "\":\"x\"}"))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("field-too-long"));
        String longValue = "v".repeat(JsonProtocolDecoder.MAX_FIELD_VALUE + 1);
        assertThatThrownBy(() -> decode("{" + BASE + ",\"message_date\":\"2020/02/05 12:18:28\",\"k\":\"" + longValue + "\"}"))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("field-too-long"));
    }

    @Test
    void extraFieldLimitsAreConfigurable() throws Exception {
        JsonProtocolDecoder strict = new JsonProtocolDecoder(1, 3, 5);
        String frame = "{" + BASE + ",\"message_date\":\"2020/02/05 12:18:28\"";
        assertThat(strict.decode((frame + ",\"abc\":\"12345\"}").getBytes(StandardCharsets.UTF_8)).io()).containsEntry("abc", "12345");
        assertThatThrownBy(() -> strict.decode((frame + ",\"abc\":\"1\",\"d\":\"2\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("too-many-fields"));
        assertThatThrownBy(() -> strict.decode((frame + ",\"abcd\":\"1\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("field-too-long"));
        assertThatThrownBy(() -> strict.decode((frame + ",\"abc\":\"123456\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnstorableContentException.class, e -> assertThat(e.reason()).isEqualTo("field-too-long"));
    }

    /** A date that is merely wrong (GPS week rollover, a clock in the future) is a real record: stored and flagged. */
    @ParameterizedTest
    @CsvSource({"2001/06/20 10:00:00,2001-06-20T10:00:00Z", "2045/01/01 00:00:00,2045-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z,0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z,9999-12-31T23:59:59Z"})
    void wrongButRepresentableDatesAreKept(String date, String expected) throws Exception {
        assertThat(decode("{" + BASE + ",\"message_date\":\"" + date + "\"}").fixTime()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aRefusalNamesTheDeviceWhenItIsKnown() {
        assertThatThrownBy(() -> decode("{\"device_number\":\"dev-7\",\"event_code\":\"1\",\"message_date\":\"soon\","
                + "\"latitude\":\"1\",\"longitude\":\"2\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.deviceUid()).isEqualTo("dev-7"));
    }
}
