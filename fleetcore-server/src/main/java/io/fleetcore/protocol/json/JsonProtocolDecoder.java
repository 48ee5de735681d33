package io.fleetcore.protocol.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.UnstorableContentException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON protocol of the original Python ingest: one object per message,
 * {@code {"device_number": "...", "event_code": "4002", "message_date": "2020/02/05 12:18:28",
 * "latitude": "37.98", "longitude": "23.73"}}, all values strings (numbers accepted too), date in UTC
 * without zone ({@code YYYY/MM/DD HH:MM:SS}) or ISO-8601. Optional {@code "obd"}: array of raw SAE J1979
 * Mode 01 responses in hex, kept in {@code io.obd} for the OBD-II step. Other fields are kept in {@code io}
 * (by default at most {@value #MAX_EXTRA_FIELDS}, names up to {@value #MAX_FIELD_NAME} characters, values up
 * to {@value #MAX_FIELD_VALUE}). Pure: bytes in, a record out, or a {@link ProtocolException} with the reason; an
 * {@link UnstorableContentException} when the frame is intact but can never be stored (U+0000 anywhere, a
 * date outside 0001..9999, extra fields beyond the limits).
 */
public final class JsonProtocolDecoder {

    public static final String PROTOCOL = "json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter PYTHON_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2}){2,}");
    private static final int MAX_DEVICE_LENGTH = 64;
    static final int MAX_EXTRA_FIELDS = 64;
    static final int MAX_FIELD_NAME = 64;
    static final int MAX_FIELD_VALUE = 1024;
    private static final List<String> KNOWN = List.of("device_number", "event_code", "message_date", "latitude", "longitude", "obd");

    private final int maxExtraFields;
    private final int maxFieldName;
    private final int maxFieldValue;

    public JsonProtocolDecoder() {
        this(MAX_EXTRA_FIELDS, MAX_FIELD_NAME, MAX_FIELD_VALUE);
    }

    /** Limits of the extra fields kept in {@code io}: how many, and the length of a name and of a value. */
    public JsonProtocolDecoder(int maxExtraFields, int maxFieldName, int maxFieldValue) {
        if (maxExtraFields < 0 || maxFieldName < 1 || maxFieldValue < 1) {
            throw new IllegalArgumentException("extra-field limits must be positive");
        }
        this.maxExtraFields = maxExtraFields;
        this.maxFieldName = maxFieldName;
        this.maxFieldValue = maxFieldValue;
    }

    public DeviceRecord decode(byte[] frame) throws ProtocolException {
        JsonNode root;
        try {
            root = MAPPER.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("invalid-json", e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException("invalid-json", e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ProtocolException("not-json-object", root == null ? "empty frame" : "got " + root.getNodeType());
        }
        String device = text(object, "device_number", null);
        if (device.length() > MAX_DEVICE_LENGTH || !device.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProtocolException("bad-device-number", "must be 1-" + MAX_DEVICE_LENGTH + " printable ASCII characters");
        }
        if (containsNul(object)) {
            // PostgreSQL's text and jsonb cannot hold U+0000: refuse here, not in the batch it would poison
            throw new UnstorableContentException("nul-character", "U+0000 in a field name or value", device);
        }
        String eventCode = text(object, "event_code", device);
        if (eventCode.length() > 32 || !eventCode.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProtocolException("bad-event-code", "must be 1-32 printable ASCII characters", device);
        }
        Instant fixTime = date(text(object, "message_date", device), device);
        if (!DeviceRecord.storableFixTime(fixTime)) {
            throw new UnstorableContentException("bad-date", "message_date " + fixTime + " is outside 0001..9999", device);
        }
        double latitude = number(object, "latitude", device);
        double longitude = number(object, "longitude", device);
        Map<String, Object> io = new LinkedHashMap<>();
        JsonNode obd = object.get("obd");
        if (obd != null && !obd.isNull()) {
            io.put("obd", obdResponses(obd, device));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!KNOWN.contains(field.getKey())) {
                JsonNode v = field.getValue();
                String value = v.isValueNode() ? v.asText() : v.toString();
                if (field.getKey().length() > maxFieldName || value.length() > maxFieldValue) {
                    throw new UnstorableContentException("field-too-long", "extra field names are limited to " + maxFieldName
                            + " characters and values to " + maxFieldValue, device);
                }
                io.put(field.getKey(), value);
            }
        }
        if (io.size() - (io.containsKey("obd") ? 1 : 0) > maxExtraFields) {
            throw new UnstorableContentException("too-many-fields", "at most " + maxExtraFields + " extra fields", device);
        }
        return new DeviceRecord(device, fixTime, latitude, longitude, null, null, null, null, null, eventCode,
                PROTOCOL, Map.of(), io);
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().indexOf('\u0000') >= 0 || containsNul(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(ObjectNode object, String field, String device) throws ProtocolException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw new ProtocolException("missing-field", field, device);
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new ProtocolException("bad-field", field + " must be a string", device);
        }
        String value = node.asText().trim();
        if (value.isEmpty()) {
            throw new ProtocolException("missing-field", field + " is empty", device);
        }
        return value;
    }

    private static double number(ObjectNode object, String field, String device) throws ProtocolException {
        String text = text(object, field, device);
        try {
            double v = Double.parseDouble(text);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad-number", field + " '" + text + "'", device);
        }
    }

    static Instant date(String text, String device) throws ProtocolException {
        try {
            return LocalDateTime.parse(text, PYTHON_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try ISO-8601
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // without zone: UTC
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ProtocolException("bad-date", "message_date '" + text + "' (expected YYYY/MM/DD HH:MM:SS UTC or ISO-8601)", device);
        }
    }

    private static List<String> obdResponses(JsonNode obd, String device) throws ProtocolException {
        if (!obd.isArray()) {
            throw new ProtocolException("bad-obd", "obd must be an array of hex strings", device);
        }
        List<String> responses = new ArrayList<>();
        for (JsonNode item : obd) {
            String hex = item.isTextual() ? item.asText().replace(" ", "") : "";
            if (!HEX.matcher(hex).matches()) {
                throw new ProtocolException("bad-obd", "not a hex OBD response: " + item, device);
            }
            responses.add(hex.toUpperCase());
        }
        return responses;
    }
}
