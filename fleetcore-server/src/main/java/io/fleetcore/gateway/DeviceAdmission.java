package io.fleetcore.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices may send data: at a login (Teltonika's IMEI handshake) and for every json frame. A known
 * device is admitted when {@code enabled} in {@code devices}; an unknown one is registered ({@code register},
 * the default) or refused ({@code reject}); under {@code reject} a device registered for one protocol is
 * refused on another. Answers are cached (LRU, at most {@code cacheSize} devices) and asked again after
 * {@code ttl}, so a json frame rarely costs a query; during a database outage the last answer stands, so
 * known devices are not turned away. An unknown device during an outage is admitted under
 * {@code register} (its records are stored, or not ACKed, like anyone's) and undecidable under
 * {@code reject}. Only an admitted device is ever registered.
 * <p>
 * A device an operator disabled is {@link Decision#DISABLED}: the database's answer says so, and so does the
 * in-memory set of {@link DisabledDevices} (changed at once by this instance's API, refreshed from the database
 * every {@code fleetcore.devices.refresh}), which is asked first and is the one answer for frames of a device
 * admitted at its login ({@link #isDisabled}), so a disabled device is refused from its next frame or login on,
 * whatever is cached here.
 */
public final class DeviceAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAdmission.class);

    public enum Mode { REGISTER, REJECT }

    /** What {@link #decide} found. */
    public enum Decision {
        ADMITTED, REGISTERED, REFUSED, DISABLED;

        /** May the device send data. */
        public boolean admitted() {
            return this == ADMITTED || this == REGISTERED;
        }
    }

    /** The database could not be asked and nothing is cached: the caller sends no answer. */
    public static final class UndecidedException extends Exception {
        public UndecidedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What the database said about a device ({@code known} false: not in devices); {@code registered} just now. */
    private record Answer(boolean known, boolean enabled, String protocol, boolean registered, long askedNanos) {
    }

    private final DataSource dataSource;
    private final DisabledDevices disabled;
    private final Mode mode;
    private final long ttlNanos;
    private final Map<String, Answer> known;

    /** Admission on the database's answers alone (no operator set of disabled devices). */
    public DeviceAdmission(DataSource dataSource, Mode mode, int cacheSize, Duration ttl) {
        this(dataSource, null, mode, cacheSize, ttl);
    }

    public DeviceAdmission(DataSource dataSource, DisabledDevices disabled, Mode mode, int cacheSize, Duration ttl) {
        this.dataSource = dataSource;
        this.disabled = disabled;
        this.mode = mode;
        this.ttlNanos = ttl.toNanos();
        this.known = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /** {@code register} or {@code reject} (config key fleetcore.unknown-devices). */
    public static Mode mode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fleetcore.unknown-devices (env FLEETCORE_UNKNOWN_DEVICES) must be register or reject, got '" + text + "'");
        }
    }

    /** True when the device may send data on {@code protocol}; unknown devices may be registered. */
    public boolean admit(String deviceUid, String protocol) throws UndecidedException {
        return decide(deviceUid, protocol, true).admitted();
    }

    /** The operator disabled the device (the in-memory set; no query). */
    public boolean isDisabled(String deviceUid) {
        return disabled != null && disabled.isDisabled(deviceUid);
    }

    /**
     * Admits, registers or refuses the device; {@code mayRegister} false refuses an unknown device even
     * under {@code register} (its connection registered enough new devices already).
     */
    public Decision decide(String deviceUid, String protocol, boolean mayRegister) throws UndecidedException {
        if (isDisabled(deviceUid)) {
            return Decision.DISABLED;
        }
        Answer cached = known.get(deviceUid);
        if (cached != null && System.nanoTime() - cached.askedNanos() < ttlNanos) {
            return judge(cached, protocol);
        }
        try (Connection c = dataSource.getConnection()) {
            Answer answer = mode == Mode.REGISTER && mayRegister ? lookupOrRegister(c, deviceUid, protocol) : lookup(c, deviceUid);
            if (answer == null) {
                if (mode == Mode.REJECT) {
                    known.put(deviceUid, new Answer(false, false, null, false, System.nanoTime()));
                }
                return Decision.REFUSED;
            }
            known.put(deviceUid, answer);
            Decision decision = judge(answer, protocol);
            if (answer.registered()) {
                LOG.info("registered new {} device {}", protocol, deviceUid);
                return decision == Decision.ADMITTED ? Decision.REGISTERED : decision;
            }
            return decision;
        } catch (SQLException | RuntimeException e) {
            if (cached != null) {
                LOG.warn("device {}: database unavailable ({}), using the last answer", deviceUid, e.getMessage());
                return judge(cached, protocol);
            }
            if (mode == Mode.REGISTER && mayRegister) {
                LOG.warn("device {}: database unavailable ({}), admitted as unknown devices are registered", deviceUid, e.getMessage());
                return Decision.ADMITTED;
            }
            throw new UndecidedException("device " + deviceUid + " unknown and the database is unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * An operator enabled or disabled the device through the API: a cached answer follows at once (also the
     * one used while the database is unreachable).
     */
    public void changed(String deviceUid, boolean enabled) {
        if (disabled != null) {
            disabled.changed(deviceUid, enabled);
        }
        known.computeIfPresent(deviceUid, (uid, a) -> new Answer(a.known(), enabled, a.protocol(), false, a.askedNanos()));
    }

    private Decision judge(Answer answer, String protocol) {
        if (!answer.known()) {
            return Decision.REFUSED;
        }
        if (!answer.enabled()) {
            return Decision.DISABLED;
        }
        if (mode == Mode.REJECT && answer.protocol() != null && !answer.protocol().equals(protocol)) {
            return Decision.REFUSED;
        }
        return Decision.ADMITTED;
    }

    /** Devices whose answer is cached. */
    public int cachedDevices() {
        return known.size();
    }

    private static Answer lookup(Connection c, String deviceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select enabled, protocol, false from devices where device_uid = ?")) {
            ps.setString(1, deviceUid);
            return answer(ps);
        }
    }

    /** One round trip: the device as known, or registered now. */
    private static Answer lookupOrRegister(Connection c, String deviceUid, String protocol) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with registered as (
                    insert into devices (device_uid, protocol) values (?, ?) on conflict (device_uid) do nothing
                    returning enabled, protocol)
                select enabled, protocol, true from registered
                union all
                select enabled, protocol, false from devices where device_uid = ? and not exists (select 1 from registered)""")) {
            ps.setString(1, deviceUid);
            ps.setString(2, protocol);
            ps.setString(3, deviceUid);
            return answer(ps);
        }
    }

    private static Answer answer(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Answer(true, rs.getBoolean(1), rs.getString(2), rs.getBoolean(3), System.nanoTime()) : null;
        }
    }
}
