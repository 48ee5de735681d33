package io.fleetcore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every refused frame (hex, reason, remote address) and counts it against its device when that device
 * is registered; a refused frame never registers a device. Control characters of the detail are escaped,
 * in the table and in the log.
 */
public final class RejectedFrames {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedFrames.class);
    /** frames are capped in the table; the log line always has the start */
    static final int MAX_STORED_BYTES = 64 * 1024;

    private final DataSource dataSource;

    public RejectedFrames(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Logs and stores one rejection. Never throws: a rejected frame must not turn into a crash, and when the
     * database is down the log line is the record.
     */
    public void record(String protocol, String deviceUid, String remote, String reason, String detail, byte[] frame) {
        try {
            keep(protocol, deviceUid, remote, reason, detail, frame);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("[{} {}] rejected frame could not be stored ({}); the log line above is its only record", remote, protocol, e.getMessage());
        }
    }

    /**
     * Logs and stores one rejection, committed when this returns: for a frame that is ACKed although it was
     * refused (content that can never be stored, on a protocol without a refusal), so its raw bytes are
     * durable before the device drops them. Throws when the row could not be committed (then: no ACK).
     */
    public void keep(String protocol, String deviceUid, String remote, String reason, String detail, byte[] frame) throws SQLException {
        byte[] kept = frame == null ? new byte[0] : frame;
        if (kept.length > MAX_STORED_BYTES) {
            kept = java.util.Arrays.copyOf(kept, MAX_STORED_BYTES);
        }
        String hex = HexFormat.of().formatHex(kept);
        detail = escape(detail);
        LOG.warn("[{} {}] rejected frame from device {}: {} ({}) {}", remote, protocol, deviceUid == null ? "?" : escape(deviceUid),
                reason, detail, hex.length() > 512 ? hex.substring(0, 512) + "..." : hex);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into rejected_frames (protocol, device_uid, remote_address, reason, detail, frame_hex) values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, protocol);
                ps.setString(2, escape(deviceUid));
                ps.setString(3, remote);
                ps.setString(4, reason);
                ps.setString(5, detail == null ? null : detail.replace('\u0000', '?'));
                ps.setString(6, hex);
                ps.executeUpdate();
            }
            if (deviceUid != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update devices set rejected_frames = rejected_frames + 1 where device_uid = ?")) {
                    ps.setString(1, deviceUid);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** Control characters (and U+0000) as {@code \\uXXXX}, so a detail quoting the input cannot forge log lines. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch)) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
