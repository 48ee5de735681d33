package io.fleetcore.check.rules;

import io.fleetcore.check.CheckedRecord;
import io.fleetcore.check.QualityRule;
import io.fleetcore.check.RuleSettings;
import java.util.Optional;

/**
 * The distance from the device's previous fix divided by the time between them is above the limit (km/h,
 * default 500): the position jumped. Positions that are themselves invalid (out of range, 0/0) are left to
 * their own rules, so one bad fix does not also count as two jumps.
 */
public final class PositionJumpRule implements QualityRule {

    static final double DEFAULT_KMH = 500;
    static final double EARTH_RADIUS_KM = 6371.0088;
    /** fixes this close in time are compared as one second apart, so GPS noise is no "infinite speed" */
    static final double MIN_HOURS = 1.0 / 3600;

    @Override
    public String code() {
        return "position_jump";
    }

    @Override
    public Optional<String> check(CheckedRecord r, RuleSettings settings, Context context) {
        CheckedRecord.Previous p = r.previous();
        if (p == null || !plausible(r.latitude(), r.longitude()) || !plausible(p.latitude(), p.longitude())) {
            return Optional.empty();
        }
        double km = distanceKm(p.latitude(), p.longitude(), r.latitude(), r.longitude());
        double hours = Math.max(MIN_HOURS, (r.fixTime().toEpochMilli() - p.fixTime().toEpochMilli()) / 3_600_000.0);
        double kmh = km / hours;
        double max = settings.limitOr(DEFAULT_KMH);
        if (kmh > max) {
            return Optional.of(String.format(java.util.Locale.ROOT, "%.1f km in %.0f s since %s: %.0f km/h above %.0f km/h",
                    km, hours * 3600, p.fixTime(), kmh, max));
        }
        return Optional.empty();
    }

    static boolean plausible(double lat, double lon) {
        return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && !(lat == 0 && lon == 0);
    }

    /** Great-circle distance (haversine). */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
