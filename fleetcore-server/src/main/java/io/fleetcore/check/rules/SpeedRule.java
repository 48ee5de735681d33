package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/** Reported speed above the limit (km/h, default 250). */
public final class SpeedRule implements QualityRule {

    static final double DEFAULT_KMH = 250;

    @Override
    public String code() {
        return "speed_too_high";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        double max = settings.limitOr(DEFAULT_KMH);
        if (r.speedKmh() != null && r.speedKmh() > max) {
            return Optional.of("speed " + r.speedKmh() + " km/h above " + max + " km/h");
        }
        return Optional.empty();
    }
}
