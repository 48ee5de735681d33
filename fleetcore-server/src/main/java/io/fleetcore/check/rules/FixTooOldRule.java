package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;
import java.time.Duration;

/**
 * Fix time earlier than the time fleetcore received the record by more than the limit (seconds, default
 * 30 days): a clock reset or a replayed buffer. Measured against reception, not against the check's own
 * clock, so a backlog checked late is judged as it was received.
 */
public final class FixTooOldRule implements QualityRule {

    static final double DEFAULT_SECONDS = 30 * 24 * 3600;

    @Override
    public String code() {
        return "fix_too_old";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        Duration behind = Duration.between(r.fixTime(), r.receivedAt());
        if (behind.toMillis() > settings.limitOr(DEFAULT_SECONDS) * 1000) {
            return Optional.of("fix time " + r.fixTime() + " is " + behind.toDays() + " days before reception " + r.receivedAt());
        }
        return Optional.empty();
    }
}
