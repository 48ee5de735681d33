package io.fleetcore.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.fleetcore.store.RecordJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a feed reads: {@code records} (every stored record) or {@code events} (alerts and service status
 * changes). Each row becomes one JSON message with {@code "version": 1}; record messages carry the natural key
 * ({@code device_uid}, {@code fix_time}, {@code content_hash}) so a consumer can de-duplicate, and {@code obd} and
 * {@code io} exactly as stored.
 */
public enum FeedSource {

    RECORDS("records", "received_at", """
            select id, device_uid, fix_time, content_hash, protocol, latitude, longitude, altitude, speed_kmh, angle,
                   satellites, priority, event_code, obd::text, io::text, received_at
            from records where id > ? and id <= ? order by id limit ?""") {
        @Override
        FeedItem item(ResultSet rs) throws SQLException {
            ObjectNode m = RecordJson.MAPPER.createObjectNode();
            m.put("version", VERSION);
            m.put("id", rs.getLong(1));
            String device = rs.getString(2);
            m.put("device_uid", device);
            m.put("fix_time", rs.getTimestamp(3).toInstant().toString());
            m.put("content_hash", rs.getString(4));
            String protocol = rs.getString(5);
            m.put("protocol", protocol);
            m.put("latitude", rs.getDouble(6));
            m.put("longitude", rs.getDouble(7));
            m.putPOJO("altitude", rs.getObject(8));
            m.putPOJO("speed_kmh", rs.getObject(9));
            m.putPOJO("angle", rs.getObject(10));
            m.putPOJO("satellites", rs.getObject(11));
            m.putPOJO("priority", rs.getObject(12));
            m.put("event_code", rs.getString(13));
            m.putRawValue("obd", new RawValue(rs.getString(14)));
            m.putRawValue("io", new RawValue(rs.getString(15)));
            Instant stored = rs.getTimestamp(16).toInstant();
            m.put("received_at", stored.toString());
            return new FeedItem(rs.getLong(1), protocol + "." + device, device, stored, RecordJson.toJson(m));
        }
    },

    EVENTS("events", "created_at", """
            select id, kind, state, subject, payload::text, created_at
            from events where id > ? and id <= ? order by id limit ?""") {
        @Override
        FeedItem item(ResultSet rs) throws SQLException {
            ObjectNode m = RecordJson.MAPPER.createObjectNode();
            m.put("version", VERSION);
            m.put("id", rs.getLong(1));
            try {
                m.setAll((ObjectNode) RecordJson.MAPPER.readTree(rs.getString(5)));
            } catch (java.io.IOException | ClassCastException e) {
                m.put("payload", rs.getString(5));
            }
            Instant stored = rs.getTimestamp(6).toInstant();
            return new FeedItem(rs.getLong(1), rs.getString(2) + "." + rs.getString(3), rs.getString(4), stored,
                    RecordJson.toJson(m));
        }
    };

    /** Version of the message layout; a consumer checks it before reading fields. */
    public static final int VERSION = 1;

    private final String table;
    private final String timeColumn;
    private final String select;

    FeedSource(String table, String timeColumn, String select) {
        this.table = table;
        this.timeColumn = timeColumn;
        this.select = select;
    }

    public static FeedSource parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown feed source '" + name + "': records or events");
        }
    }

    /** The table name, as stored in {@code feed_cursors.source}. */
    public String table() {
        return table;
    }

    /** The column that says when a row was stored ({@code feed reset --from} and lag in seconds use it). */
    public String timeColumn() {
        return timeColumn;
    }

    abstract FeedItem item(ResultSet rs) throws SQLException;

    /** Rows with {@code afterId < id <= upToId}, in id order, at most {@code limit}. */
    List<FeedItem> read(Connection c, long afterId, long upToId, int limit) throws SQLException {
        List<FeedItem> items = new ArrayList<>();
        if (upToId <= afterId) {
            return items;
        }
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setLong(1, afterId);
            ps.setLong(2, upToId);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(item(rs));
                }
            }
        }
        return items;
    }
}
