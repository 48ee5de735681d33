package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;
import java.util.Set;

/**
 * An event code that table {@code event_codes} does not know for the record's protocol. Records without an
 * event code are fine, and so are records of a protocol the table lists no codes for.
 */
public final class UnknownEventCodeRule implements QualityRule {

    @Override
    public String code() {
        return "unknown_event_code";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        Set<String> known = context.eventCodes(r.protocol());
        if (known != null && r.eventCode() != null && !r.eventCode().isBlank() && !known.contains(r.eventCode())) {
            return Optional.of(r.protocol() + " event code '" + r.eventCode() + "' is not in event_codes");
        }
        return Optional.empty();
    }
}
