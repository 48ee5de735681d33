package io.fleetcore.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.store.RecordJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layout 2 of the records feed: one message per device per delivered batch, {@code {"version":2,
 * "device_uid":..., "count":n, "records":[...]}}, the device's records of the batch in id order (at most
 * {@code maxPerMessage} per message; more make several messages, in order). Each record is the layout 1 record
 * without its {@code version} field, so it keeps its id, natural key and named OBD/IO values. Built from the
 * records' bytes as the query wrote them (concatenated, never parsed). Route files call
 * {@code byDevice(${body}, max)} before publishing.
 */
public final class RecordMessages {

    /** Version of the per-device message layout. */
    public static final int VERSION = 2;

    private static final byte[] RECORD_PREFIX = ("{\"version\":" + FeedSource.VERSION + ",")
            .getBytes(StandardCharsets.UTF_8);

    private RecordMessages() {
    }

    /**
     * The records of a batch (layout 1, in id order) as layout 2 messages: devices in the order of their first
     * record, each device's records in id order. A message's id is its last record's, {@code firstId} its first.
     */
    public static List<FeedItem> byDevice(List<FeedItem> records, int maxPerMessage) {
        if (maxPerMessage < 1) {
            throw new IllegalArgumentException("records per message must be at least 1, not " + maxPerMessage);
        }
        Map<String, List<FeedItem>> devices = new LinkedHashMap<>();
        for (FeedItem r : records) {
            devices.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<FeedItem> out = new ArrayList<>();
        for (List<FeedItem> device : devices.values()) {
            for (int from = 0; from < device.size(); from += maxPerMessage) {
                out.add(message(device.subList(from, Math.min(device.size(), from + maxPerMessage))));
            }
        }
        return out;
    }

    private static FeedItem message(List<FeedItem> records) {
        FeedItem first = records.get(0);
        FeedItem last = records.get(records.size() - 1);
        int size = 64;
        for (FeedItem r : records) {
            size += r.body().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(("{\"version\":" + VERSION + ",\"device_uid\":").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(quoted(first.device()));
        out.writeBytes((",\"count\":" + records.size() + ",\"records\":[").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < records.size(); i++) {
            byte[] body = records.get(i).body();
            if (!startsWith(body, RECORD_PREFIX)) {
                throw new IllegalArgumentException("not a layout " + FeedSource.VERSION + " record message (id "
                        + records.get(i).id() + "): a records feed groups records only");
            }
            if (i > 0) {
                out.write(',');
            }
            out.write('{');
            out.write(body, RECORD_PREFIX.length, body.length - RECORD_PREFIX.length);
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return new FeedItem(first.id(), last.id(), last.key(), last.device(), last.stored(), out.toByteArray());
    }

    private static byte[] quoted(String text) {
        try {
            return RecordJson.MAPPER.writeValueAsBytes(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length > prefix.length
                && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The records a records-feed message carries, in order: the {@code records} array of a layout 2 message,
     * or the message itself (layout 1).
     */
    public static List<JsonNode> records(JsonNode message) {
        List<JsonNode> out = new ArrayList<>();
        if (message.path("version").asInt() >= VERSION) {
            message.path("records").forEach(out::add);
        } else {
            out.add(message);
        }
        return out;
    }

    /** The record ids a records-feed message (its bytes) carries, in order. */
    public static List<Long> recordIds(byte[] message) throws java.io.IOException {
        List<Long> ids = new ArrayList<>();
        for (JsonNode r : records(RecordJson.MAPPER.readTree(message))) {
            ids.add(r.path("id").asLong());
        }
        return ids;
    }
}
