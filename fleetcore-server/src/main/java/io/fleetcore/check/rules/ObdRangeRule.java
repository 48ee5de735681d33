package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/** A canonical OBD value outside its physical range (the limits of its SAE J1979 encoding). */
abstract class ObdRangeRule implements QualityRule {

    private final String key;
    private final double min;
    private final double max;

    ObdRangeRule(String key, double min, double max) {
        this.key = key;
        this.min = min;
        this.max = max;
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        Object v = r.obd().get(key);
        if (!(v instanceof Number n)) {
            return Optional.empty();
        }
        double d = n.doubleValue();
        if (!(d >= min && d <= max)) {
            return Optional.of("obd " + key + " " + d + " outside [" + min + ", " + max + "]");
        }
        return Optional.empty();
    }
}
