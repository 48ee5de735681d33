package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Records PostgreSQL refuses for their data (SQLSTATE 22/23) that got past the decoders: the refused
 * submission fails with {@link RecordRefusedException} (the gateway refuses that frame, it is not
 * dead-lettered), every other submission of the same batch commits, and the refused one is found by
 * bisecting, not by one transaction per submission.
 */
class RecordStoreRefusalIT {

    static final int SUBMISSIONS = 64;

    static DeviceRecord record(int i, Instant fix, Map<String, Object> io) {
        return new DeviceRecord("refusal-" + i, fix, 37.98, 23.73, null, null, null, null, null, "4002", "json", Map.of(), io);
    }

    @Test
    void refusedDataFailsOnlyItsSubmissionFoundByBisectingAndTheRestOfTheBatchCommits() throws Exception {
        try (Database db = TestServices.newMigratedDatabase();
             RecordStore store = new RecordStore(db.dataSource(), 10_000, Duration.ofSeconds(1), 10_000)) {
            Instant fix = Instant.parse("2025-06-01T00:00:00Z");
            @SuppressWarnings("unchecked")
            CompletableFuture<Throwable>[] outcomes = new CompletableFuture[SUBMISSIONS];
            for (int i = 0; i < SUBMISSIONS; i++) {
                DeviceRecord r = switch (i) {
                    // jsonb cannot hold U+0000 (22P05)
                    case 17 -> record(i, fix, Map.of("note", "a\u0000b"));
                    // a year PostgreSQL cannot store (22008)
                    case 50 -> record(i, Instant.parse("+294277-01-01T00:00:00Z"), Map.of());
                    default -> record(i, fix.plusSeconds(i), Map.of("note", "ok"));
                };
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                outcomes[i] = outcome;
                store.submit(List.of(r), outcome::complete, Duration.ofSeconds(5));
            }
            for (int i = 0; i < SUBMISSIONS; i++) {
                Throwable failure = outcomes[i].get(30, TimeUnit.SECONDS);
                if (i == 17 || i == 50) {
                    assertThat(failure).as("submission " + i).isInstanceOf(RecordRefusedException.class);
                    RecordRefusedException refused = (RecordRefusedException) failure;
                    assertThat(refused.reason()).isEqualTo("refused-by-database");
                    assertThat(refused.deviceUid()).isEqualTo("refusal-" + i);
                    assertThat(refused.sqlState()).isEqualTo(i == 17 ? "22P05" : "22008");
                } else {
                    assertThat(failure).as("submission " + i).isNull();
                }
            }
            assertThat(store.storedCount()).isEqualTo(SUBMISSIONS - 2);
            // one failed 64, then halves: at most 2 * log2(64) committed transactions, not 62
            assertThat(store.batchCount()).isBetween(2L, 12L);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from records where device_uid like 'refusal-%'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(SUBMISSIONS - 2);
            }
        }
    }
}
