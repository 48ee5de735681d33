package io.fleetcore.gateway;

/** Names of exchange properties and headers the gateway steps share. */
public final class Frames {

    /** Exchange property: the raw frame bytes, kept for the rejection log. */
    public static final String RAW = "fleetcoreFrame";
    /** Exchange property: the protocol name of the gateway. */
    public static final String PROTOCOL = "fleetcoreProtocol";
    /** Exchange property: {@code true} once a refused frame's raw bytes are committed in rejected_frames. */
    public static final String KEPT = "fleetcoreFrameKept";
    /** Header: the device of the frame, once known. */
    public static final String DEVICE = "fleetcoreDevice";

    private Frames() {
    }
}
