package io.fleetcore.check.rules;

/** Engine speed above 16383.75 rpm (PID 0C tops out there) or negative. */
public final class ObdRpmRule extends ObdRangeRule {

    public ObdRpmRule() {
        super("rpm", 0, 16383.75);
    }

    @Override
    public String code() {
        return "obd_rpm_out_of_range";
    }
}
