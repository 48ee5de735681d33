package io.fleetcore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChaosReportTest {

    private static ChaosReport clean() {
        ChaosReport r = new ChaosReport();
        r.seed = 1;
        r.faultsPlanned = 3;
        r.injected(FaultKind.KILL);
        r.injected(FaultKind.KILL);
        r.injected(FaultKind.BOTH_DOWN);
        r.devicesDrained = true;
        r.sent = 1000;
        r.simulatorAcked = 1000;
        r.auditAcked = 1000;
        r.auditStored = 1000;
        r.rowsInDatabase = 1000;
        r.forwardScored = true;
        r.forwardedRecords = 1000;
        r.forwardedDistinct = 1000;
        return r;
    }

    @Test
    void cleanRunPassesAndEndsWithTheSummaryLine() {
        ChaosReport r = clean();
        assertThat(r.passed()).isTrue();
        assertThat(r.lines()).last().isEqualTo("chaos: faults=3 acked=1000 stored=1000 missing=0 duplicates=0");
        assertThat(r.lines()).anySatisfy(l -> assertThat(l).contains("kill -9 + restart").endsWith("2"));
        assertThat(r.lines()).contains("chaos feed: forwarded=1000 missing=0 duplicates=0");
    }

    @Test
    void aStoredRecordTheFeedNeverForwardedFailsDuplicateForwardsAreOnlyReported() {
        ChaosReport unforwarded = clean();
        unforwarded.forwardedDistinct = 999;
        unforwarded.forwardMissing = 1;
        assertThat(unforwarded.passed()).isFalse();
        assertThat(unforwarded.lines()).contains("chaos feed: forwarded=999 missing=1 duplicates=0");

        ChaosReport notScored = clean();
        notScored.forwardScored = false;
        assertThat(notScored.passed()).isFalse();

        ChaosReport twice = clean();
        twice.forwardedRecords = 1200;
        twice.forwardDuplicates = 200;
        assertThat(twice.passed()).isTrue();
        assertThat(twice.lines()).anySatisfy(l -> assertThat(l).contains("1200 record(s) forwarded").contains("duplicates 200"));
    }

    @Test
    void lossDuplicatesAndUnexpectedRowsFail() {
        ChaosReport missing = clean();
        missing.auditStored = 999;
        missing.missing = 1;
        missing.rowsInDatabase = 999;
        assertThat(missing.passed()).isFalse();
        assertThat(missing.summaryLine()).endsWith("stored=999 missing=1 duplicates=0");

        ChaosReport dup = clean();
        dup.duplicates = 2;
        dup.rowsInDatabase = 1002;
        assertThat(dup.unexpected()).isZero();
        assertThat(dup.passed()).isFalse();

        ChaosReport stray = clean();
        stray.rowsInDatabase = 1001;
        assertThat(stray.unexpected()).isEqualTo(1);
        assertThat(stray.passed()).isFalse();
    }

    @Test
    void ackWhileBothDownUndrainedDevicesOrLeftoversFail() {
        ChaosReport acked = clean();
        acked.ackedWhileBothDown = 4;
        assertThat(acked.passed()).isFalse();

        ChaosReport undrained = clean();
        undrained.devicesDrained = false;
        assertThat(undrained.passed()).isFalse();

        ChaosReport parked = clean();
        parked.parkedLeft = 1;
        assertThat(parked.passed()).isFalse();

        ChaosReport crashed = clean();
        crashed.crashes = 1;
        assertThat(crashed.passed()).isFalse();
    }
}
