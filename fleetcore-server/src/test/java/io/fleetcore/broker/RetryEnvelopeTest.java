package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.store.RecordJson;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryEnvelopeTest {

    static final DeviceRecord RECORD = new DeviceRecord("dev-1", Instant.parse("2020-02-05T12:18:28.123456Z"),
            37.9815116, 23.73152, 120.5, 42.0, 90, 7, 1, "4002", "teltonika",
            Map.of("rpm", 1726, "dtcs", List.of("P0301")), Map.of("239", 1, "66", 12.5, "big", 12345678901L));

    @Test
    void recordsSurviveTheRoundTripWithTheSameNaturalKey() {
        RetryEnvelope sent = RetryEnvelope.firstFailure(List.of(RECORD),
                new SQLException("new row violates check constraint \"no_poison\"", "23514"), true,
                Instant.parse("2026-01-01T00:00:00Z"));
        RetryEnvelope received = RetryEnvelope.fromJson(sent.toJson());

        assertThat(received.version()).isEqualTo(1);
        assertThat(received.device()).isEqualTo("dev-1");
        assertThat(received.attempts()).isEqualTo(1);
        assertThat(received.firstFailure()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(received.lastError()).isEqualTo("SQLException: new row violates check constraint \"no_poison\"");
        DeviceRecord back = received.records().get(0);
        assertThat(back.fixTime()).isEqualTo(RECORD.fixTime());
        assertThat(back.latitude()).isEqualTo(RECORD.latitude());
        assertThat(RecordJson.contentHash(back)).isEqualTo(RecordJson.contentHash(RECORD));
        assertThat(RecordJson.toJson(back.obd())).isEqualTo(RecordJson.toJson(RECORD.obd()));
    }

    @Test
    void anUnavailableDatabaseDoesNotCountAsAnAttemptButARefusalDoes() {
        RetryEnvelope down = RetryEnvelope.firstFailure(List.of(RECORD), new SQLTransientConnectionException("pool timeout"),
                false, Instant.EPOCH);
        assertThat(down.attempts()).isZero();
        RetryEnvelope refused = down.refusedAgain(new SQLException("check constraint"));
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.lastError()).contains("check constraint");
        assertThat(refused.firstFailure()).isEqualTo(Instant.EPOCH);
        assertThat(refused.replayed().attempts()).isZero();
        assertThat(refused.replayed().lastError()).isEqualTo(refused.lastError());
    }

    @Test
    void anotherVersionOrGarbageIsRefused() {
        assertThatThrownBy(() -> RetryEnvelope.fromJson("{\"version\":2,\"records\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> RetryEnvelope.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backOffDoublesUpToItsCap() {
        BackOff b = new BackOff(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(List.of(b.after(1), b.after(2), b.after(3), b.after(4), b.after(5), b.after(50)))
                .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3));
    }
}
