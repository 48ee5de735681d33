package io.fleetcore.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Date;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes in {@code check_runs} which instance ran which tick of a periodic check: the evidence that a
 * clustered scheduler fires each tick once across instances.
 */
public final class CheckRuns {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRuns.class);

    private final DataSource dataSource;
    private final String instance;

    public CheckRuns(DataSource dataSource, String instance) {
        this.dataSource = dataSource;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** Best effort: a tick whose note cannot be written (database down) still runs. */
    public void record(String check, Date scheduledFireTime) {
        if (scheduledFireTime == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into check_runs (check_name, scheduled_at, instance) values (?, ?, ?) on conflict do nothing")) {
            ps.setString(1, check);
            ps.setTimestamp(2, new Timestamp(scheduledFireTime.getTime()));
            ps.setString(3, instance);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debug("tick of {} not noted: {}", check, e.getMessage());
        }
    }
}
