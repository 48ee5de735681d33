package io.fleetcore.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolException;
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

    /** Source: the Python ingest's device message, DESIGN.md. */
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

    @Test
    void aRefusalNamesTheDeviceWhenItIsKnown() {
        assertThatThrownBy(() -> decode("{\"device_number\":\"dev-7\",\"event_code\":\"1\",\"message_date\":\"soon\","
                + "\"latitude\":\"1\",\"longitude\":\"2\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.deviceUid()).isEqualTo("dev-7"));
    }
}
