package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.rules.Rules;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Date;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A backlog of 300k records (1,000 devices) checked in chunks in one run; prints records per second. -Pfull */
@Tag("slow")
class QualityBacklogIT {

    @Test
    void aLargeBacklogIsCheckedInChunks() throws Exception {
        try (Database db = TestServices.newMigratedDatabase()) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("""
                        insert into records (device_uid, fix_time, content_hash, latitude, longitude, speed_kmh, event_code, protocol)
                        select 'bl-' || (g % 1000), now() - interval '1 hour' + (g / 1000) * interval '1 second', 'h' || g,
                               case when g % 1000 = 7 then 120 else 37.9 + (g % 1000) * 0.0001 end, 23.7, 50, '4002', 'json'
                        from generate_series(1, 300000) g""");
                st.execute("analyze records");
            }
            QualityChecker checker = new QualityChecker(db.dataSource(), Rules.all(), 5000, 10_000_000,
                    new CheckRuns(db.dataSource(), "bench"), new SimpleMeterRegistry());
            long start = System.nanoTime();
            QualityChecker.Result r = checker.run(new Date());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("quality backlog: %d records in %.1f s = %.0f records/s, %d findings%n",
                    r.examined(), seconds, r.examined() / seconds, r.newFindings());
            assertThat(r.examined()).isEqualTo(300_000);
            assertThat(r.newFindings()).isEqualTo(300);
        }
    }
}
