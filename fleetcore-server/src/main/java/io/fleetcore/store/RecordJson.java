package io.fleetcore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fleetcore.model.DeviceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** JSON for stored values and the content hash of the natural key. Keys are sorted: same content, same text. */
public final class RecordJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(InstantJson.module()) // after JavaTimeModule: its Instant (de)serializer takes precedence
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .build();

    private RecordJson() {
    }

    public static String toJson(Object value) {
        if (value == null || value instanceof Map<?, ?> m && m.isEmpty()) {
            return "{}"; // what Jackson writes for an empty map (most records' obd), without a generator
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder(24 * m.size() + 2);
            if (PlainJson.map(out, m)) {
                return out.toString();
            }
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Hash of everything a record says except who and when (those are key columns of their own) and the
     * derived OBD values: a retransmit hashes the same, a different record at the same second does not.
     */
    public static String contentHash(DeviceRecord r) {
        return contentHash(r, toJson(r.io()));
    }

    /**
     * {@link #contentHash(DeviceRecord)} when the JSON of {@code r.io()} is already at hand. The first 128 bits of
     * SHA-256 over {@code protocol|latitude|longitude|altitude|speed|angle|satellites|priority|event|io-json}, as
     * hex: the same text and the same key as every earlier version, so rows stored before stay the natural key of
     * a resend. One digest per thread, one builder, no intermediate strings.
     */
    static String contentHash(DeviceRecord r, String ioJson) {
        StringBuilder canonical = new StringBuilder(96 + ioJson.length());
        canonical.append(r.protocol()).append('|').append(r.latitude()).append('|').append(r.longitude()).append('|')
                .append(r.altitude()).append('|').append(r.speedKmh()).append('|').append(r.angle()).append('|')
                .append(r.satellites()).append('|').append(r.priority()).append('|').append(r.eventCode()).append('|')
                .append(ioJson);
        MessageDigest sha256 = SHA256.get();
        byte[] digest = sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, 16);
    }

    private static final HexFormat HEX = HexFormat.of();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    });
}
