package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The audit against PostgreSQL, shaped like the bench's last run: many devices on a big table of other runs' rows. */
class AuditIT {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    /**
     * A ledger of 10,000 devices with two records each, on a table that also holds 400,000 rows of 2,000 other
     * devices (the earlier runs): every ACKed key found once, the missing one and the extra copy counted, within a
     * 5 s statement timeout (the driver's 30 s socket timeout cut the bench's audit of 10,000 devices on 2.4 million
     * rows twice; this table is smaller, and the earlier query passes here too: it checks the audit's answer on the
     * bench's shape, not that timeout).
     */
    @Test
    void auditsManyDevicesOnABigTableOfOtherDevicesRows() throws Exception {
        String url = TestServices.newDatabase();
        try (Database db = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", url, "fleetcore.db.user", "postgres")));
             Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)
                    select 'other-' || d, timestamptz '2026-10-01 00:00:00+00' + make_interval(secs => i), md5(d || '-' || i), 0, 0, 'json'
                    from generate_series(1, 2000) d, generate_series(1, 200) i""");
            // the ledger's records: two per device, one of them stored twice (a duplicate), one never stored (missing)
            st.execute("""
                    insert into records (device_uid, fix_time, content_hash, latitude, longitude, protocol)
                    select 'audit-' || d, timestamptz '2026-10-01 00:00:00+00' + make_interval(secs => i), md5('now-' || d || '-' || i), 0, 0, 'json'
                    from generate_series(1, 10000) d, generate_series(0, 1) i
                    where not (d = 7 and i = 1)
                    union all
                    select 'audit-3', timestamptz '2026-10-01 00:00:01+00', 'a second copy', 0, 0, 'json'""");
            st.execute("analyze records");
        }
        Path ledger = Path.of(TestServices.buildDir(), "audit-it-" + ProcessHandle.current().pid() + ".ledger.csv");
        List<String> lines = new ArrayList<>();
        for (int d = 1; d <= 10_000; d++) {
            lines.add(Ledger.line("audit-" + d, T0));
            lines.add(Ledger.line("audit-" + d, T0.plusSeconds(1)));
        }
        Files.write(ledger, lines);

        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        ds.setOptions("-c statement_timeout=5s");
        assertThat(Audit.run(ledger, ds)).isEqualTo(new Audit.Result(20_000, 19_999, 1, 1));
    }
}
