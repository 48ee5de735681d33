package io.fleetcore.check.rules;

import io.fleetcore.check.QualityRule;
import java.util.List;

/** Every record rule fleetcore has; which run and how they are tuned is in table {@code quality_rules}. */
public final class Rules {

    private Rules() {
    }

    public static List<QualityRule> all() {
        return List.of(new CoordinatesRangeRule(), new NullIslandRule(), new FixInFutureRule(), new FixTooOldRule(),
                new SpeedRule(), new PositionJumpRule(), new UnknownEventCodeRule(), new ObdRpmRule(),
                new ObdCoolantRule(), new ObdFuelLevelRule());
    }
}
