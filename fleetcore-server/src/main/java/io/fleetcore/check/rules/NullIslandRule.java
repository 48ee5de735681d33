package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/**
 * Latitude 0 and longitude 0 although the device claims a fix: a device without a fix that filled in
 * zeros. A record that reports 0 satellites is an honest "no fix" and is not flagged.
 */
public final class NullIslandRule implements QualityRule {

    @Override
    public String code() {
        return "null_island";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        boolean claimsFix = r.satellites() == null || r.satellites() > 0;
        if (r.latitude() == 0 && r.longitude() == 0 && claimsFix) {
            return Optional.of("position 0/0 with " + (r.satellites() == null ? "a fix" : r.satellites() + " satellites"));
        }
        return Optional.empty();
    }
}
