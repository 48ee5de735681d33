package io.fleetcore.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.FuzzSession;
import io.fleetcore.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 seeded random and mutated json frames through the protocol decoder, and sessions of them cut into
 * random reads through the frame decoder: only {@link ProtocolException} may escape, every record the decoder
 * accepts is storable as it is (device id, dates, finite coordinates, no U+0000, the extra-field limits), every
 * read buffer is released.
 */
class JsonFuzzTest {

    static final int FRAMES = 100_000;
    static final long SEED = 20261202L;
    static final int SESSION_FRAMES = 20;
    static final int MAX_EXTRA_FIELDS = 8;
    static final int MAX_FIELD_NAME = 16;
    static final int MAX_FIELD_VALUE = 64;

    /** Frames a device sends: the Python ingest's message, ISO dates, numbers as numbers, OBD and extra fields. */
    static final String[] SESSION = {
            "{\"device_number\": \"86915304265485\", \"event_code\": \"4002\", \"message_date\": \"2020/02/05 12:18:28\","
                    + " \"latitude\": \"37.9815116\", \"longitude\": \"23.7315200\"}",
            "{\"device_number\":86915304265485,\"event_code\":7000,\"message_date\":\"2020-02-05T14:18:28+02:00\","
                    + "\"latitude\":-33.5,\"longitude\":151.25}",
            "{\"device_number\":\"veh-1\",\"event_code\":\"1\",\"message_date\":\"2026-12-01T10:00:00Z\",\"latitude\":1,"
                    + "\"longitude\":2,\"obd\":[\"41 0C 1A F8\",\"410D32\"],\"fuel\":\"71\",\"door\":{\"open\":true}}"};

    /** Pieces a mutation inserts: JSON syntax, odd numbers and dates, escapes (U+0000 among them), non-ASCII. */
    static final String[] PIECES = {"{", "}", "[", "]", "\"", ":", ",", "\\", "\\u0000", "\\ud800", "null", "true",
            "1e999", "-0", "NaN", "\"-99999-01-01T00:00:00Z\"", "\"9999/12/31 23:59:59\"", "\u00e9", "\u20ac", "\n",
            "\"x\":\"" + "y".repeat(80) + "\"", "\"obd\":[\"zz\"]", "\"obd\":\"41\""};

    static byte[] frame(Random rnd) {
        String base = SESSION[rnd.nextInt(SESSION.length)];
        switch (rnd.nextInt(6)) {
            case 0 -> { // flip bytes
                byte[] f = base.getBytes(StandardCharsets.UTF_8);
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    f[rnd.nextInt(f.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return f;
            }
            case 1 -> { // a piece of JSON or of trouble inserted
                StringBuilder b = new StringBuilder(base);
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b.insert(rnd.nextInt(b.length() + 1), PIECES[rnd.nextInt(PIECES.length)]);
                }
                return b.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> { // a field's value replaced
                String[] fields = {"device_number", "event_code", "message_date", "latitude", "longitude"};
                String field = fields[rnd.nextInt(fields.length)];
                String value = PIECES[rnd.nextInt(PIECES.length)];
                return base.replaceFirst("(\"" + field + "\"\\s*:\\s*)(\"[^\"]*\"|[-0-9.]+)", "$1" + java.util.regex.Matcher.quoteReplacement(value))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // cut short
                byte[] f = base.getBytes(StandardCharsets.UTF_8);
                return Arrays.copyOf(f, rnd.nextInt(f.length));
            }
            case 4 -> { // pure noise
                byte[] f = new byte[rnd.nextInt(80)];
                rnd.nextBytes(f);
                return f;
            }
            default -> {
                return base.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    static void assertStorable(DeviceRecord r, byte[] frame) {
        String as = new String(frame, StandardCharsets.UTF_8);
        assertThat(r.deviceUid()).as(as).isNotEmpty().hasSizeLessThanOrEqualTo(64).doesNotContain("\u0000");
        assertThat(DeviceRecord.storableFixTime(r.fixTime())).as(as).isTrue();
        assertThat(Double.isFinite(r.latitude()) && Double.isFinite(r.longitude())).as(as).isTrue();
        assertThat(r.eventCode()).as(as).isNotEmpty().hasSizeLessThanOrEqualTo(32);
        int extra = 0;
        for (Map.Entry<String, Object> e : r.io().entrySet()) {
            assertThat(e.getKey()).as(as).doesNotContain("\u0000");
            assertThat(String.valueOf(e.getValue())).as(as).doesNotContain("\u0000");
            if (!e.getKey().equals("obd")) {
                extra++;
                assertThat(e.getKey().length()).as(as).isLessThanOrEqualTo(MAX_FIELD_NAME);
                assertThat(String.valueOf(e.getValue()).length()).as(as).isLessThanOrEqualTo(MAX_FIELD_VALUE);
            }
        }
        assertThat(extra).as(as).isLessThanOrEqualTo(MAX_EXTRA_FIELDS);
    }

    @Test
    void randomAndMutatedFramesNeverEscapeAsAnythingButProtocolExceptionNorPassUnstorable() {
        Random rnd = new Random(SEED);
        JsonProtocolDecoder decoder = new JsonProtocolDecoder(MAX_EXTRA_FIELDS, MAX_FIELD_NAME, MAX_FIELD_VALUE);
        int accepted = 0;
        int refused = 0;
        int framed = 0;
        List<byte[]> session = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            byte[] f = frame(rnd);
            try {
                assertStorable(decoder.decode(f), f);
                accepted++;
            } catch (ProtocolException e) {
                refused++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("frame " + i + " escaped with " + e + ": " + new String(f, StandardCharsets.UTF_8), e);
            }
            session.add(f);
            session.add(new byte[] {'\n'});
            if (session.size() == 2 * SESSION_FRAMES) {
                framed += FuzzSession.framed(new JsonFrameDecoder(1024), byte[].class, new byte[0], session, rnd, 200);
                session.clear();
            }
        }
        assertThat(accepted + refused).isEqualTo(FRAMES);
        assertThat(accepted).as("intact frames pass").isGreaterThan(FRAMES / 10);
        assertThat(refused).as("mutated frames are refused").isGreaterThan(FRAMES / 3);
        assertThat(framed).isPositive();
    }
}
