package io.fleetcore.model;

/**
 * Input a frame decoder could not frame within its size limit: a frame longer than the maximum, or as many
 * bytes skipped between frames. {@code bytes} is its start (at most {@link #HEAD_BYTES}) for the rejection
 * log; the rest of the connection's input is discarded and the connection closed after the refusal.
 */
public record OversizedFrame(String protocol, String deviceUid, String detail, byte[] bytes) implements RawFrame {

    /** bytes of the input kept */
    public static final int HEAD_BYTES = 1024;

    @Override
    public String toString() {
        return "OversizedFrame[" + protocol + ", " + detail + "]";
    }
}
