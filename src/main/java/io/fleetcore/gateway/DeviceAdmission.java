package io.fleetcore.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices may log in (protocols with a login, such as Teltonika's IMEI handshake). A known device is
 * admitted when {@code enabled} in {@code devices}; an unknown one is registered ({@code register}, the
 * default) or refused ({@code reject}). Every answer the database gave is cached, so a database outage
 * does not turn known devices away; an unknown device during an outage is admitted under {@code register}
 * (its records are stored, or not ACKed, like anyone's) and undecidable under {@code reject}.
 */
public final class DeviceAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAdmission.class);

    public enum Mode { REGISTER, REJECT }

    /** The database could not be asked and nothing is cached: the caller sends no answer. */
    public static final class UndecidedException extends Exception {
        public UndecidedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DataSource dataSource;
    private final Mode mode;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    public DeviceAdmission(DataSource dataSource, Mode mode) {
        this.dataSource = dataSource;
        this.mode = mode;
    }

    /** {@code register} or {@code reject} (config key fleetcore.unknown-devices). */
    public static Mode mode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fleetcore.unknown-devices (env FLEETCORE_UNKNOWN_DEVICES) must be register or reject, got '" + text + "'");
        }
    }

    public boolean admit(String deviceUid, String protocol) throws UndecidedException {
        try (Connection c = dataSource.getConnection()) {
            Boolean enabled = lookup(c, deviceUid);
            if (enabled == null) {
                if (mode == Mode.REJECT) {
                    known.remove(deviceUid);
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into devices (device_uid, protocol) values (?, ?) on conflict (device_uid) do nothing")) {
                    ps.setString(1, deviceUid);
                    ps.setString(2, protocol);
                    ps.executeUpdate();
                }
                enabled = lookup(c, deviceUid);
                LOG.info("registered new {} device {}", protocol, deviceUid);
            }
            boolean admitted = Boolean.TRUE.equals(enabled);
            known.put(deviceUid, admitted);
            return admitted;
        } catch (SQLException | RuntimeException e) {
            Boolean cached = known.get(deviceUid);
            if (cached != null) {
                LOG.warn("device {}: database unavailable ({}), using the cached answer {}", deviceUid, e.getMessage(), cached);
                return cached;
            }
            if (mode == Mode.REGISTER) {
                LOG.warn("device {}: database unavailable ({}), admitted as unknown devices are registered", deviceUid, e.getMessage());
                return true;
            }
            throw new UndecidedException("device " + deviceUid + " unknown and the database is unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * An operator enabled or disabled the device through the API: the cached answer (used while the database
     * is unreachable) follows at once. The next login asks the database anyway.
     */
    public void changed(String deviceUid, boolean enabled) {
        known.put(deviceUid, enabled);
    }

    private static Boolean lookup(Connection c, String deviceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select enabled from devices where device_uid = ?")) {
            ps.setString(1, deviceUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }
}
