package io.fleetcore.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.check.rules.CoordinatesRangeRule;
import io.fleetcore.check.rules.FixInFutureRule;
import io.fleetcore.check.rules.FixTooOldRule;
import io.fleetcore.check.rules.NullIslandRule;
import io.fleetcore.check.rules.ObdCoolantRule;
import io.fleetcore.check.rules.ObdFuelLevelRule;
import io.fleetcore.check.rules.ObdRpmRule;
import io.fleetcore.check.rules.PositionJumpRule;
import io.fleetcore.check.rules.Rules;
import io.fleetcore.check.rules.SpeedRule;
import io.fleetcore.check.rules.UnknownEventCodeRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every rule on a good and a bad record, with the defaults of migration V4. */
class QualityRulesTest {

    static final Instant RECEIVED = Instant.parse("2026-11-29T08:00:00Z");
    static final QualityRule.Context CONTEXT = new QualityRule.Context(Map.of(
            "json", Set.of("7000", "7001", "7002", "7003", "4002"), "teltonika", Set.of("0", "239", "240")));

    /** A plausible record in Athens; tests change one thing at a time. */
    static CheckedRecord good() {
        return new CheckedRecord(1, "dev-1", RECEIVED.minusSeconds(5), RECEIVED, 37.9815116, 23.73152, 50.0, 9, "4002", "json",
                Map.of("rpm", 1726.0, "coolant_temp_c", 90, "fuel_level_pct", 55.5),
                new CheckedRecord.Previous(RECEIVED.minusSeconds(65), 37.98, 23.73));
    }

    static CheckedRecord at(double lat, double lon, Integer satellites) {
        CheckedRecord g = good();
        return new CheckedRecord(g.id(), g.deviceUid(), g.fixTime(), g.receivedAt(), lat, lon, g.speedKmh(), satellites,
                g.eventCode(), g.protocol(), g.obd(), g.previous());
    }

    static CheckedRecord fixAt(Instant fix) {
        CheckedRecord g = good();
        return new CheckedRecord(g.id(), g.deviceUid(), fix, g.receivedAt(), g.latitude(), g.longitude(), g.speedKmh(),
                g.satellites(), g.eventCode(), g.protocol(), g.obd(), null);
    }

    static CheckedRecord with(Double speed, String event, Map<String, Object> obd) {
        CheckedRecord g = good();
        return new CheckedRecord(g.id(), g.deviceUid(), g.fixTime(), g.receivedAt(), g.latitude(), g.longitude(), speed,
                g.satellites(), event, g.protocol(), obd, g.previous());
    }

    static Optional<String> check(QualityRule rule, CheckedRecord r) {
        return rule.check(r, new RuleSettings(rule.code(), "", true, null, 10, false), CONTEXT);
    }

    static Optional<String> check(QualityRule rule, CheckedRecord r, double limit) {
        return rule.check(r, new RuleSettings(rule.code(), "", true, limit, 10, false), CONTEXT);
    }

    @Test
    void aGoodRecordBreaksNoRule() {
        for (QualityRule rule : Rules.all()) {
            assertThat(check(rule, good())).as(rule.code()).isEmpty();
        }
    }

    @Test
    void everyRuleHasItsOwnCode() {
        assertThat(Rules.all().stream().map(QualityRule::code).collect(Collectors.toSet())).hasSize(Rules.all().size());
    }

    @Test
    void coordinatesOutOfRange() {
        QualityRule rule = new CoordinatesRangeRule();
        assertThat(check(rule, at(120, 23.7, 9))).hasValue("latitude 120.0 outside [-90, 90]");
        assertThat(check(rule, at(37.9, 200, 9))).hasValue("longitude 200.0 outside [-180, 180]");
        assertThat(check(rule, at(-90.5, -180.5, 9))).get().asString().contains("latitude -90.5").contains("longitude -180.5");
        assertThat(check(rule, at(Double.NaN, 0, 9))).isPresent();
        assertThat(check(rule, at(90, 180, 9))).isEmpty();
        assertThat(check(rule, at(-90, -180, 9))).isEmpty();
    }

    @Test
    void nullIslandWithAFixButNotWithoutOne() {
        QualityRule rule = new NullIslandRule();
        assertThat(check(rule, at(0, 0, 7))).hasValue("position 0/0 with 7 satellites");
        assertThat(check(rule, at(0, 0, null))).hasValue("position 0/0 with a fix");
        assertThat(check(rule, at(0, 0, 0))).as("0 satellites: an honest no-fix").isEmpty();
        assertThat(check(rule, at(0, 23.7, 7))).isEmpty();
        assertThat(check(rule, at(37.9, 0, 7))).isEmpty();
    }

    @Test
    void fixInTheFuture() {
        QualityRule rule = new FixInFutureRule();
        assertThat(check(rule, fixAt(Instant.parse("2099-01-01T00:00:00Z")))).get().asString().startsWith("fix time 2099-01-01T00:00:00Z is");
        assertThat(check(rule, fixAt(RECEIVED.plusSeconds(301)))).isPresent();
        assertThat(check(rule, fixAt(RECEIVED.plusSeconds(299)))).as("clock skew within tolerance").isEmpty();
        assertThat(check(rule, fixAt(RECEIVED.plusSeconds(60)), 30)).as("tuned tolerance").isPresent();
    }

    @Test
    void fixTooOld() {
        QualityRule rule = new FixTooOldRule();
        assertThat(check(rule, fixAt(RECEIVED.minus(Duration.ofDays(31))))).get().asString().contains("31 days before reception");
        assertThat(check(rule, fixAt(RECEIVED.minus(Duration.ofDays(29))))).isEmpty();
        assertThat(check(rule, fixAt(RECEIVED.minus(Duration.ofDays(2))), 86400)).as("tuned to one day").isPresent();
    }

    @Test
    void speedAboveMaximum() {
        QualityRule rule = new SpeedRule();
        assertThat(check(rule, with(251.0, "4002", Map.of()))).hasValue("speed 251.0 km/h above 250.0 km/h");
        assertThat(check(rule, with(250.0, "4002", Map.of()))).isEmpty();
        assertThat(check(rule, with(null, "4002", Map.of()))).isEmpty();
        assertThat(check(rule, with(130.0, "4002", Map.of()), 120)).isPresent();
    }

    @Test
    void positionJumpBetweenConsecutiveFixes() {
        QualityRule rule = new PositionJumpRule();
        CheckedRecord g = good();
        // Athens to Thessaloniki (~300 km) in one minute
        CheckedRecord jump = new CheckedRecord(2, "dev-1", g.fixTime(), g.receivedAt(), 40.6401, 22.9444, 50.0, 9, "4002", "json",
                Map.of(), new CheckedRecord.Previous(g.fixTime().minusSeconds(60), 37.9838, 23.7275));
        assertThat(check(rule, jump)).get().asString().contains("km/h above 500 km/h");
        // the same distance in five hours is a drive
        CheckedRecord drive = new CheckedRecord(2, "dev-1", g.fixTime(), g.receivedAt(), 40.6401, 22.9444, 50.0, 9, "4002", "json",
                Map.of(), new CheckedRecord.Previous(g.fixTime().minus(Duration.ofHours(5)), 37.9838, 23.7275));
        assertThat(check(rule, drive)).isEmpty();
        assertThat(check(rule, drive, 50)).as("tuned to 50 km/h").isPresent();
        // no previous fix, or a previous fix that is itself invalid: not a jump
        assertThat(check(rule, fixAt(g.fixTime()))).isEmpty();
        CheckedRecord afterZero = new CheckedRecord(2, "dev-1", g.fixTime(), g.receivedAt(), 40.6401, 22.9444, 50.0, 9, "4002", "json",
                Map.of(), new CheckedRecord.Previous(g.fixTime().minusSeconds(60), 0, 0));
        assertThat(check(rule, afterZero)).isEmpty();
    }

    @Test
    void unknownEventCode() {
        QualityRule rule = new UnknownEventCodeRule();
        assertThat(check(rule, with(50.0, "9999", Map.of()))).hasValue("json event code '9999' is not in event_codes");
        for (String known : new String[] {"7000", "7001", "7002", "7003", "4002"}) {
            assertThat(check(rule, with(50.0, known, Map.of()))).as(known).isEmpty();
        }
        assertThat(check(rule, with(50.0, null, Map.of()))).isEmpty();
    }

    /** Issue 13: Teltonika's event IO ids (0 = periodic record) are not json codes; codes are per protocol. */
    @Test
    void eventCodesArePerProtocol() {
        QualityRule rule = new UnknownEventCodeRule();
        assertThat(check(rule, ofProtocol("teltonika", "0"))).as("a periodic Teltonika record").isEmpty();
        assertThat(check(rule, ofProtocol("teltonika", "240"))).isEmpty();
        assertThat(check(rule, ofProtocol("teltonika", "4002"))).hasValue("teltonika event code '4002' is not in event_codes");
        assertThat(check(rule, ofProtocol("json", "0"))).hasValue("json event code '0' is not in event_codes");
        assertThat(check(rule, ofProtocol("gt06", "18"))).as("a protocol event_codes lists nothing for").isEmpty();
    }

    static CheckedRecord ofProtocol(String protocol, String event) {
        CheckedRecord g = good();
        return new CheckedRecord(g.id(), g.deviceUid(), g.fixTime(), g.receivedAt(), g.latitude(), g.longitude(), g.speedKmh(),
                g.satellites(), event, protocol, g.obd(), g.previous());
    }

    @Test
    void obdValuesOutsidePhysicalRange() {
        assertThat(check(new ObdRpmRule(), with(50.0, "4002", Map.of("rpm", 16384.0)))).hasValue("obd rpm 16384.0 outside [0.0, 16383.75]");
        assertThat(check(new ObdRpmRule(), with(50.0, "4002", Map.of("rpm", 16383.75)))).isEmpty();
        assertThat(check(new ObdCoolantRule(), with(50.0, "4002", Map.of("coolant_temp_c", 216)))).isPresent();
        assertThat(check(new ObdCoolantRule(), with(50.0, "4002", Map.of("coolant_temp_c", -41)))).isPresent();
        assertThat(check(new ObdCoolantRule(), with(50.0, "4002", Map.of("coolant_temp_c", -40)))).isEmpty();
        assertThat(check(new ObdFuelLevelRule(), with(50.0, "4002", Map.of("fuel_level_pct", 100.4)))).isPresent();
        assertThat(check(new ObdFuelLevelRule(), with(50.0, "4002", Map.of("fuel_level_pct", 100)))).isEmpty();
        assertThat(check(new ObdFuelLevelRule(), with(50.0, "4002", Map.of()))).as("absent value").isEmpty();
    }
}
