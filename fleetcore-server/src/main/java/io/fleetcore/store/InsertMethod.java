package io.fleetcore.store;

import io.fleetcore.model.DeviceRecord;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * Ways to write a batch of records in one transaction, all idempotent on the natural key. The caller owns
 * the transaction. {@code fleetcore bench} measures them side by side; the store uses the configured one.
 */
public enum InsertMethod {

    /** JDBC batch of the one-row insert; pgjdbc's {@code reWriteBatchedInserts} turns it into multi-row inserts. */
    BATCH {
        @Override
        public int insert(Connection c, List<StoredRow> records) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(RecordStore.INSERT_RECORD)) {
                for (StoredRow r : records) {
                    RecordStore.bind(ps, r);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                int sum = 0;
                for (int count : counts) {
                    if (count < 0) {
                        return records.size(); // driver did not report per-row counts
                    }
                    sum += count;
                }
                return sum;
            }
        }
    },

    /** One statement per batch: every column as an array parameter, {@code INSERT … SELECT unnest(…)}. */
    UNNEST {
        static final String SQL = """
                insert into records (device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh,
                                     angle, satellites, priority, event_code, protocol, obd, io)
                select u.device_uid, u.fix_time::timestamptz, u.content_hash, u.latitude, u.longitude, u.altitude,
                       u.speed_kmh, u.angle, u.satellites, u.priority, u.event_code, u.protocol, u.obd::jsonb, u.io::jsonb
                from unnest(?::text[], ?::text[], ?::text[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                            ?::int4[], ?::int4[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as u(device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh,
                          angle, satellites, priority, event_code, protocol, obd, io)
                on conflict on constraint records_natural_key do nothing""";

        @Override
        public int insert(Connection c, List<StoredRow> records) throws SQLException {
            int n = records.size();
            Object[][] cols = new Object[14][];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = i >= 3 && i <= 6 ? new Double[n] : i >= 7 && i <= 9 ? new Integer[n] : new String[n];
            }
            for (int i = 0; i < n; i++) {
                StoredRow row = records.get(i);
                DeviceRecord r = row.record();
                cols[0][i] = r.deviceUid();
                cols[1][i] = r.fixTime().toString();
                cols[2][i] = row.contentHash();
                cols[3][i] = r.latitude();
                cols[4][i] = r.longitude();
                cols[5][i] = r.altitude();
                cols[6][i] = r.speedKmh();
                cols[7][i] = r.angle();
                cols[8][i] = r.satellites();
                cols[9][i] = r.priority();
                cols[10][i] = r.eventCode();
                cols[11][i] = r.protocol();
                cols[12][i] = row.obdJson();
                cols[13][i] = row.ioJson();
            }
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                for (int i = 0; i < cols.length; i++) {
                    String type = i >= 3 && i <= 6 ? "float8" : i >= 7 && i <= 9 ? "int4" : "text";
                    ps.setArray(i + 1, c.createArrayOf(type, cols[i]));
                }
                return ps.executeUpdate();
            }
        }
    },

    /** COPY (CSV) into a per-session staging table, then one {@code INSERT … SELECT … ON CONFLICT}. */
    COPY {
        static final String STAGE = """
                create temp table if not exists records_stage (
                    device_uid text, fix_time timestamptz, content_hash text, latitude float8, longitude float8,
                    altitude float8, speed_kmh float8, angle int4, satellites int4, priority int4, event_code text,
                    protocol text, obd jsonb, io jsonb) on commit delete rows""";
        static final String COLUMNS = "device_uid, fix_time, content_hash, latitude, longitude, altitude, speed_kmh,"
                + " angle, satellites, priority, event_code, protocol, obd, io";

        @Override
        public int insert(Connection c, List<StoredRow> records) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute(STAGE);
            }
            StringBuilder csv = new StringBuilder(records.size() * 400);
            for (StoredRow row : records) {
                DeviceRecord r = row.record();
                quoted(csv, r.deviceUid()).append(',');
                csv.append(r.fixTime()).append(',');
                csv.append(row.contentHash()).append(',');
                csv.append(r.latitude()).append(',').append(r.longitude()).append(',');
                plain(csv, r.altitude()).append(',');
                plain(csv, r.speedKmh()).append(',');
                plain(csv, r.angle()).append(',');
                plain(csv, r.satellites()).append(',');
                plain(csv, r.priority()).append(',');
                quoted(csv, r.eventCode()).append(',');
                quoted(csv, r.protocol()).append(',');
                quoted(csv, row.obdJson()).append(',');
                quoted(csv, row.ioJson()).append('\n');
            }
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "copy records_stage (" + COLUMNS + ") from stdin (format csv)", new StringReader(csv.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY into the staging table failed: " + e.getMessage(), e);
            }
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("insert into records (" + COLUMNS + ") select " + COLUMNS
                        + " from records_stage on conflict on constraint records_natural_key do nothing");
            }
        }

        private static StringBuilder quoted(StringBuilder csv, String v) {
            if (v != null) {
                csv.append('"').append(v.replace("\"", "\"\"")).append('"');
            }
            return csv;
        }

        private static StringBuilder plain(StringBuilder csv, Object v) {
            if (v != null) {
                csv.append(v);
            }
            return csv;
        }
    };

    /** Inserts the records; returns the number of new rows (conflicts excluded). */
    public abstract int insert(Connection c, List<StoredRow> records) throws SQLException;

    public static InsertMethod parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("insert method must be batch, unnest or copy, got '" + name + "'");
        }
    }
}
