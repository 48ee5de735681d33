package io.fleetcore.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * PostgreSQL as ingest sees it: a connection from fleetcore's pool and a query with a timeout. A pool that
 * cannot hand out a connection within its connection timeout counts as down as well.
 */
public final class PostgresProbe implements Probe {

    private final DataSource dataSource;

    public PostgresProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public ProbeResult probe(Duration timeout) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where datname = current_database()")) {
                rs.next();
                return ProbeResult.up(name(), rs.getLong(1) + " sessions on this database");
            }
        } catch (Exception e) {
            return ProbeResult.down(name(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
