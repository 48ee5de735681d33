package io.fleetcore.protocol;

/** Number helpers the decoders share. */
public final class Numbers {

    private Numbers() {
    }

    /** Rounded to {@code decimals}; a whole number comes back as a Long so JSON shows {@code 1726}, not {@code 1726.0}. */
    public static Number round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        double r = Math.round(v * scale) / scale;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return (long) r;
        }
        return r;
    }
}
