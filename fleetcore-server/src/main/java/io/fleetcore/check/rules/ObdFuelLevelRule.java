package io.fleetcore.check.rules;

/** Fuel level outside [0, 100] %. */
public final class ObdFuelLevelRule extends ObdRangeRule {

    public ObdFuelLevelRule() {
        super("fuel_level_pct", 0, 100);
    }

    @Override
    public String code() {
        return "obd_fuel_level_out_of_range";
    }
}
