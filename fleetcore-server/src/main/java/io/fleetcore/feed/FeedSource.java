package io.fleetcore.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcore.store.RecordJson;
import java.nio.charset.StandardCharsets;
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
            select id, protocol || '.' || device_uid, device_uid, received_at,
                   concat('{"version":VERSION,"id":', id,
                          ',"device_uid":', to_json(device_uid),
                          ',"fix_time":"', INSTANT(fix_time),
                          '","content_hash":', to_json(content_hash),
                          ',"protocol":', to_json(protocol),
                          ',"latitude":', to_json(latitude),
                          ',"longitude":', to_json(longitude),
                          ',"altitude":', coalesce(to_json(altitude)::text, 'null'),
                          ',"speed_kmh":', coalesce(to_json(speed_kmh)::text, 'null'),
                          ',"angle":', coalesce(to_json(angle)::text, 'null'),
                          ',"satellites":', coalesce(to_json(satellites)::text, 'null'),
                          ',"priority":', coalesce(to_json(priority)::text, 'null'),
                          ',"event_code":', coalesce(to_json(event_code)::text, 'null'),
                          ',"obd":', obd,
                          ',"io":', io,
                          ',"received_at":"', INSTANT(received_at), '"}')
            from records where id > ? and id <= ? order by id limit ?""") {
        @Override
        FeedItem item(ResultSet rs) throws SQLException {
            // the message is written by the query: its UTF-8 bytes are taken as they came, never decoded
            return new FeedItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                    rs.getBytes(5));
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
                    RecordJson.toJson(m).getBytes(StandardCharsets.UTF_8));
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
        this.select = select.replace("VERSION", Integer.toString(VERSION)).replaceAll("INSTANT\\((\\w+)\\)", INSTANT);
    }

    /**
     * SQL for a {@code timestamptz} column as {@link Instant#toString()} writes it (UTC, {@code Z}; no fraction,
     * or 3 or 6 digits, whichever shows it exactly), so a message built by the query carries the same time text
     * as one built in Java. {@code $1} is the column.
     */
    private static final String INSTANT = """
            to_char($1 at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || \
            case when date_part('microseconds', $1 at time zone 'UTC')::bigint % 1000000 = 0 then '' \
            when date_part('microseconds', $1 at time zone 'UTC')::bigint % 1000 = 0 \
            then '.' || lpad((date_part('microseconds', $1 at time zone 'UTC')::bigint % 1000000 / 1000)::text, 3, '0') \
            else '.' || lpad((date_part('microseconds', $1 at time zone 'UTC')::bigint % 1000000)::text, 6, '0') end || 'Z'""";

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
