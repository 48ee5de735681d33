package io.fleetcore.check;

/**
 * A row of {@code quality_rules}: whether the rule runs, its tunable limit (unit per rule), how many findings
 * of one device within the integrity window open an alert, and whether an alert of it is critical.
 */
public record RuleSettings(String code, String description, boolean enabled, Double limit, int threshold, boolean critical) {

    /** The rule's limit, or {@code fallback} when the table leaves it empty. */
    public double limitOr(double fallback) {
        return limit == null ? fallback : limit;
    }
}
