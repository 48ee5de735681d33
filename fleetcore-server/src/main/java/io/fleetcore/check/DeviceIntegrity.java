package io.fleetcore.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Device integrity: per device and rule, the findings (and the rejected frames, rule {@code rejected_frames})
 * of the window are counted. Crossing the rule's threshold opens one alert in {@code device_alerts} (a partial
 * unique index keeps it to one open alert per device and rule, whichever instance or tick gets there); a
 * window without any opens nothing and closes the open alert. Only changes are published.
 */
public final class DeviceIntegrity {

    /** Per device and rule, how many findings or rejected frames the window holds. */
    private static final String COUNTS = """
            with counts as (
                select device_uid, rule_code, count(*) as n from quality_findings
                where found_at > now() - make_interval(secs => ?) group by device_uid, rule_code
                union all
                select device_uid, 'rejected_frames', count(*) from rejected_frames
                where received_at > now() - make_interval(secs => ?) and device_uid is not null group by device_uid)
            """;

    private final DataSource dataSource;
    private final Duration window;
    private final AlertPublisher alerts;
    private final String instance;

    public DeviceIntegrity(DataSource dataSource, Duration window, AlertPublisher alerts, String instance) {
        this.dataSource = dataSource;
        this.window = window;
        this.alerts = alerts;
        this.instance = instance;
    }

    /** Opens and closes alerts; returns what changed (already published). */
    public List<Alert> run() throws SQLException {
        List<Alert> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(COUNTS + """
                    insert into device_alerts (device_uid, rule_code, finding_count)
                    select c.device_uid, c.rule_code, c.n from counts c
                    join quality_rules q on q.code = c.rule_code and q.enabled and c.n >= q.threshold
                    on conflict (device_uid, rule_code) where closed_at is null do nothing
                    returning device_uid, rule_code, finding_count,
                              (select critical from quality_rules where code = rule_code)""")) {
                collect(ps, "open", changes);
            }
            try (PreparedStatement ps = c.prepareStatement(COUNTS + """
                    update device_alerts a set closed_at = now()
                    where a.closed_at is null
                      and not exists (select 1 from counts c where c.device_uid = a.device_uid and c.rule_code = a.rule_code)
                    returning a.device_uid, a.rule_code, 0::bigint,
                              (select critical from quality_rules where code = a.rule_code)""")) {
                collect(ps, "closed", changes);
            }
        }
        changes.forEach(alerts::publish);
        return changes;
    }

    private void collect(PreparedStatement ps, String state, List<Alert> into) throws SQLException {
        ps.setLong(1, window.toSeconds());
        ps.setLong(2, window.toSeconds());
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(Alert.device(state, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4), instance));
            }
        }
    }
}
