package io.fleetcore.gateway;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices an operator disabled ({@code devices.enabled = false}), held in memory so every gateway can
 * refuse their frames at no cost per frame. The API of this instance reports a change at once
 * ({@link #changed}); changes made elsewhere (another instance, SQL) are read every refresh interval.
 * While the database is unreachable the last known set stays in force.
 */
public final class DisabledDevices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DisabledDevices.class);

    private final DataSource dataSource;
    private volatile Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService refresher;

    public DisabledDevices(DataSource dataSource, Duration refresh) {
        this.dataSource = dataSource;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetcore-disabled-devices");
            t.setDaemon(true);
            return t;
        });
        reload();
        long ms = Math.max(100, refresh.toMillis());
        refresher.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
    }

    public boolean isDisabled(String deviceUid) {
        return deviceUid != null && disabled.contains(deviceUid);
    }

    /** A device was enabled or disabled through this instance: effective from the device's next frame. */
    public void changed(String deviceUid, boolean enabled) {
        if (enabled) {
            disabled.remove(deviceUid);
        } else {
            disabled.add(deviceUid);
        }
    }

    /** Reads the whole set again (also after an import). */
    public void reload() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select device_uid from devices where not enabled")) {
            Set<String> fresh = ConcurrentHashMap.newKeySet();
            while (rs.next()) {
                fresh.add(rs.getString(1));
            }
            Set<String> before = disabled;
            disabled = fresh;
            if (!fresh.equals(new HashSet<>(before))) {
                LOG.info("{} device(s) disabled", fresh.size());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("disabled devices not refreshed ({}); keeping the last known {}", e.getMessage(), disabled.size());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
