package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;
import java.time.Duration;

/** Fix time later than the time fleetcore received the record, by more than the limit (seconds, default 300). */
public final class FixInFutureRule implements QualityRule {

    static final double DEFAULT_SECONDS = 300;

    @Override
    public String code() {
        return "fix_in_future";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        Duration ahead = Duration.between(r.receivedAt(), r.fixTime());
        if (ahead.toMillis() > settings.limitOr(DEFAULT_SECONDS) * 1000) {
            return Optional.of("fix time " + r.fixTime() + " is " + ahead.toSeconds() + " s after reception " + r.receivedAt());
        }
        return Optional.empty();
    }
}
