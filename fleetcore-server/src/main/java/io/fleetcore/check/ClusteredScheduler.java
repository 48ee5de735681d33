package io.fleetcore.check;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * A Quartz scheduler on the JDBC job store in fleetcore's own PostgreSQL (tables {@code qrtz_*}, migration
 * V5), clustered: every instance with the same scheduler name shares the triggers, and the row lock in
 * {@code qrtz_locks} lets exactly one of them fire each tick. Connections come from fleetcore's Hikari pool
 * through a {@link ConnectionProvider}, so Quartz needs no pool of its own (no c3p0).
 */
public final class ClusteredScheduler {

    private ClusteredScheduler() {
    }

    public static Scheduler create(DataSource dataSource, String schedulerName, String instanceId,
                                   Duration checkinInterval, int threads) {
        String dsName = "fleetcore-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new PoolProvider(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "fleetcore-quartz");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dsName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinInterval.toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        try {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            // Quartz keeps one scheduler per name in a JVM-wide repository; cluster members share the name, so
            // forget it there: each fleetcore owns its scheduler (and tests can run two members in one JVM).
            SchedulerRepository.getInstance().remove(schedulerName);
            return scheduler;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the clustered Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Quartz's view of fleetcore's pool. */
    static final class PoolProvider implements ConnectionProvider {
        private final DataSource dataSource;

        PoolProvider(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to fleetcore's Database and is closed with it
        }

        @Override
        public void initialize() {
            // nothing: the pool is up before the scheduler is created
        }
    }
}
