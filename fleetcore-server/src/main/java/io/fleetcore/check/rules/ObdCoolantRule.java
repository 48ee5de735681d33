package io.fleetcore.check.rules;

/** Coolant temperature outside [-40, 215] °C (PID 05's range). */
public final class ObdCoolantRule extends ObdRangeRule {

    public ObdCoolantRule() {
        super("coolant_temp_c", -40, 215);
    }

    @Override
    public String code() {
        return "obd_coolant_out_of_range";
    }
}
