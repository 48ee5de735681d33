package io.fleetcore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterScraperTest {

    @Test
    void countersAddUpAcrossRestarts() {
        CounterScraper s = new CounterScraper(1);
        s.add("""
                # HELP fleetcore_records_dead_lettered_total records published to the retry queue
                fleetcore_records_dead_lettered_total 10.0
                fleetcore_records_stored_total 100.0
                """);
        s.add("fleetcore_records_dead_lettered_total 25.0\nfleetcore_records_stored_total 180.0\n");
        // kill -9, a new process counts from zero
        s.add("fleetcore_records_dead_lettered_total 4.0\nfleetcore_records_stored_total 50.0\n");
        s.add("fleetcore_records_parked_total{reason=\"x\"} 1.0\nfleetcore_records_parked_total{reason=\"y\"} 2.0\n");
        assertThat(s.totals()).containsEntry("fleetcore_records_dead_lettered_total", 29L)
                .containsEntry("fleetcore_records_stored_total", 230L)
                .containsEntry("fleetcore_records_parked_total", 3L)
                .containsEntry("fleetcore_records_redelivered_total", 0L);
    }
}
