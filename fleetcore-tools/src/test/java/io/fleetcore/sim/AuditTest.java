package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ledger round trip and the audit's arithmetic (no database: the comparison itself). */
class AuditTest {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    @Test
    void everyAckedRecordStoredOnceIsClean() {
        Audit a = new Audit();
        for (int i = 0; i < 5; i++) {
            a.acked("dev-1", T0.plusSeconds(i));
            a.stored("dev-1", T0.plusSeconds(i));
        }
        a.stored("dev-1", T0.plusSeconds(99)); // stored but its ACK never arrived: fine
        assertThat(a.result()).isEqualTo(new Audit.Result(5, 5, 0, 0));
        assertThat(a.result().clean()).isTrue();
    }

    @Test
    void ackedButNotStoredIsMissing() {
        Audit a = new Audit();
        a.acked("dev-1", T0);
        a.acked("dev-1", T0.plusSeconds(1));
        a.acked("dev-2", T0);
        a.stored("dev-1", T0);
        a.stored("dev-3", T0.plusSeconds(1)); // another device's row does not count
        Audit.Result r = a.result();
        assertThat(r).isEqualTo(new Audit.Result(3, 1, 2, 0));
        assertThat(r.clean()).isFalse();
        assertThat(r).hasToString("acked=3 stored=1 missing=2 duplicates=0");
    }

    @Test
    void extraRowsForAnAckedKeyAreDuplicatesAndAckedTwiceCountsOnce() {
        Audit a = new Audit();
        a.acked("dev-1", T0);
        a.acked("dev-1", T0); // resent after a lost ACK, ACKed again
        a.acked("dev-1", T0.plusSeconds(1));
        a.stored("dev-1", T0);
        a.stored("dev-1", T0);
        a.stored("dev-1", T0);
        a.stored("dev-1", T0.plusSeconds(1));
        assertThat(a.result()).isEqualTo(new Audit.Result(2, 2, 0, 2));
    }

    @Test
    void ledgerRoundTripKeepsDeviceAndFixTime(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/ledger.csv");
        try (Ledger ledger = Ledger.create(file)) {
            ledger.acked("356307042441013", new Instant[] {T0, T0.plusMillis(1500)});
            ledger.acked("dev,with,comma", new Instant[] {T0});
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "356307042441013,2026-10-01T00:00:00Z", "356307042441013,2026-10-01T00:00:01.500Z",
                "dev,with,comma,2026-10-01T00:00:00Z");
        List<String> read = new ArrayList<>();
        Ledger.read(file, (device, t) -> read.add(device + "@" + t.toEpochMilli()));
        assertThat(read).containsExactly("356307042441013@" + T0.toEpochMilli(),
                "356307042441013@" + (T0.toEpochMilli() + 1500), "dev,with,comma@" + T0.toEpochMilli());
    }

    @Test
    void malformedLedgerLineNamesItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ledger.csv");
        Files.writeString(file, "dev-1,2026-10-01T00:00:00Z\ngarbage\n");
        assertThatThrownBy(() -> Ledger.read(file, (d, t) -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining(":2:");
    }
}
