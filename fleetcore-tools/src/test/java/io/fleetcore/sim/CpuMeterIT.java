package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** bench's CPU figures: a process's own CPU from /proc, and the PostgreSQL backends of its connections only. */
class CpuMeterIT {

    @Test
    void findsTheBackendsOfThisProcessAndTheirCpu() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestServices.newDatabase());
        ds.setUser("postgres");
        long self = ProcessHandle.current().pid();
        try (Connection held = ds.getConnection(); Statement st = held.createStatement()) {
            int backend;
            try (ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                backend = rs.getInt(1);
            }
            assertThat(CpuMeter.backendsOf(self, ds)).contains(backend);
            assertThat(CpuMeter.backendsOf(1, ds)).doesNotContain(backend); // another process's sockets

            CpuMeter.Sample before = CpuMeter.sample(self, ds);
            try (ResultSet rs = st.executeQuery("select count(*) from generate_series(1, 3000000)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3_000_000L);
            }
            CpuMeter.Sample after = CpuMeter.sample(self, ds);
            assertThat(before.backendSeconds()).containsKey(backend);
            assertThat(after.backendSeconds().get(backend)).isGreaterThan(before.backendSeconds().get(backend));
            assertThat(after.postgresSecondsSince(before)).isGreaterThan(0.05);
            assertThat(after.fleetcoreSeconds()).isGreaterThan(0);
            // this JVM's own compiler and collector threads, read from /proc/<pid>/task: part of the process's CPU
            assertThat(after.jitSeconds()).isGreaterThan(0);
            assertThat(after.jitSeconds() + after.gcSeconds()).isLessThan(after.fleetcoreSeconds());
        }
    }
}
