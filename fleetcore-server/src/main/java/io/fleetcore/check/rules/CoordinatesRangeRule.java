package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/** Latitude outside [-90, 90] or longitude outside [-180, 180]: the position cannot exist. */
public final class CoordinatesRangeRule implements QualityRule {

    @Override
    public String code() {
        return "coordinates_out_of_range";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        boolean lat = !(r.latitude() >= -90 && r.latitude() <= 90);
        boolean lon = !(r.longitude() >= -180 && r.longitude() <= 180);
        if (lat && lon) {
            return Optional.of("latitude " + r.latitude() + " outside [-90, 90], longitude " + r.longitude() + " outside [-180, 180]");
        } else if (lat) {
            return Optional.of("latitude " + r.latitude() + " outside [-90, 90]");
        } else if (lon) {
            return Optional.of("longitude " + r.longitude() + " outside [-180, 180]");
        }
        return Optional.empty();
    }
}
