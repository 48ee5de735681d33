package io.fleetcore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckTimelineTest {

    @Test
    void longestStretchWithoutAnAck() {
        AckTimeline t = new AckTimeline();
        t.sample(0, 0);
        t.sample(1000, 10);
        t.sample(2000, 20);
        t.sample(3000, 20);
        t.sample(6500, 20);
        t.sample(7000, 35);
        t.sample(8000, 40);
        assertThat(t.longestWithoutAckMillis(8000)).isEqualTo(5000);
        assertThat(t.longestWithoutAckFromMillis(8000)).isEqualTo(2000);
        // silence at the end counts up to the end of the load
        assertThat(t.longestWithoutAckMillis(20_000)).isEqualTo(12_000);
        // nothing was ever ACKed: no stretch to speak of
        assertThat(new AckTimeline().longestWithoutAckMillis(5000)).isZero();
    }

    @Test
    void acksInsideAWindow() {
        AckTimeline t = new AckTimeline();
        t.sample(100, 5);
        t.sample(1100, 9);
        t.sample(2100, 9);
        t.sample(3100, 12);
        assertThat(t.ackedAt(50)).isZero();
        assertThat(t.ackedAt(2500)).isEqualTo(9);
        assertThat(t.ackedBetween(1100, 2900)).isZero();
        assertThat(t.ackedBetween(1100, 3100)).isEqualTo(3);
    }
}
