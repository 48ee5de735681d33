package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/** An event code that table {@code event_codes} does not know. Records without an event code are fine. */
public final class UnknownEventCodeRule implements QualityRule {

    @Override
    public String code() {
        return "unknown_event_code";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        if (r.eventCode() != null && !r.eventCode().isBlank() && !context.knownEventCodes().contains(r.eventCode())) {
            return Optional.of("event code '" + r.eventCode() + "' is not in event_codes");
        }
        return Optional.empty();
    }
}
