package io.fleetcore.store;

import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceEvents;
import io.fleetcore.model.DeviceRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the device events a batch's records raise into {@code device_events} and, for each event that is new
 * there, one row into {@code events} (the source of the events feed), in the caller's transaction: one
 * statement, and none at all for a batch without events (most batches). Idempotent: a redelivered record hits
 * the {@code device_events} natural key (device, fix time, content hash, kind) and adds nothing to either table.
 */
final class DeviceEventRows {

    /** {@code kind} of an events row written for a device event; its {@code state} is the event's kind. */
    static final String EVENT_KIND = "device_event";

    static final String INSERT = """
            with raised as (
                select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::float8[],
                                     ?::float8[], ?::text[]) with ordinality
                    as u(device_uid, fix_time, content_hash, kind, value, protocol, latitude, longitude, payload, n)
            ), stored as (
                insert into device_events (device_uid, fix_time, content_hash, kind, value, protocol, latitude, longitude)
                select device_uid, fix_time::timestamptz, content_hash, kind, value, protocol, latitude, longitude
                from raised order by n
                on conflict on constraint device_events_natural_key do nothing
                returning device_uid, fix_time, content_hash, kind
            )
            insert into events (kind, state, subject, payload)
            select 'device_event', r.kind, r.device_uid, r.payload::jsonb
            from stored s
            join raised r on r.device_uid = s.device_uid and r.fix_time::timestamptz = s.fix_time
                         and r.content_hash = s.content_hash and r.kind = s.kind
            order by r.n""";

    private DeviceEventRows() {
    }

    /** Returns the number of events raised by the records (new or not). */
    static int insert(Connection c, List<StoredRow> rows, DeviceEvents events) throws SQLException {
        List<StoredRow> raisers = new ArrayList<>();
        List<DeviceEvent> raised = new ArrayList<>();
        for (StoredRow row : rows) {
            for (DeviceEvent e : events.raisedBy(row.record())) {
                raisers.add(row);
                raised.add(e);
            }
        }
        int n = raised.size();
        if (n == 0) {
            return 0;
        }
        Object[][] cols = {new String[n], new String[n], new String[n], new String[n], new Long[n], new String[n],
                new Double[n], new Double[n], new String[n]};
        for (int i = 0; i < n; i++) {
            StoredRow row = raisers.get(i);
            DeviceRecord r = row.record();
            DeviceEvent e = raised.get(i);
            cols[0][i] = r.deviceUid();
            cols[1][i] = r.fixTime().toString();
            cols[2][i] = row.contentHash();
            cols[3][i] = e.kind();
            cols[4][i] = e.value();
            cols[5][i] = r.protocol();
            cols[6][i] = r.latitude();
            cols[7][i] = r.longitude();
            cols[8][i] = payload(row, e);
        }
        String[] types = {"text", "text", "text", "text", "int8", "text", "float8", "float8", "text"};
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < cols.length; i++) {
                ps.setArray(i + 1, c.createArrayOf(types[i], cols[i]));
            }
            ps.executeUpdate();
        }
        return n;
    }

    /** The events row's payload: what the feed's message carries besides version and id (docs/schema.md). */
    static String payload(StoredRow row, DeviceEvent e) {
        DeviceRecord r = row.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", EVENT_KIND);
        m.put("state", e.kind());
        m.put("subject", r.deviceUid());
        m.put("device", r.deviceUid());
        m.put("protocol", r.protocol());
        m.put("event", e.kind());
        m.put("value", e.value());
        m.put("fix_time", r.fixTime().toString());
        m.put("content_hash", row.contentHash());
        m.put("latitude", r.latitude());
        m.put("longitude", r.longitude());
        return RecordJson.toJson(m);
    }
}
