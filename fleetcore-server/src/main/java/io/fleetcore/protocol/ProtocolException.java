package io.fleetcore.protocol;

/**
 * A frame that is refused: transport damage a resend can repair (CRC, lengths, framing), or, as
 * {@link UnstorableContentException}, an intact frame whose content can never be stored. {@link #reason()} is a short stable code to count by
 * ({@code bad-crc}, {@code missing-field}); the message adds the detail. When the decoder got as far as the
 * device identity, {@link #deviceUid()} names it, so the rejection is counted against that device.
 */
public class ProtocolException extends Exception {

    private final String reason;
    private final String detail;
    private final String deviceUid;

    public ProtocolException(String reason, String detail, String deviceUid) {
        super(detail == null ? reason : reason + ": " + detail);
        this.reason = reason;
        this.detail = detail;
        this.deviceUid = deviceUid;
    }

    public ProtocolException(String reason, String detail) {
        this(reason, detail, null);
    }

    public ProtocolException(String reason) {
        this(reason, null, null);
    }

    /** Machine-friendly reason code, e.g. {@code bad-crc}, {@code missing-field}. */
    public String reason() {
        return reason;
    }

    /** What exactly was wrong, or {@code null}. */
    public String detail() {
        return detail;
    }

    /** The device the frame claims to come from, or {@code null} when unknown. */
    public String deviceUid() {
        return deviceUid;
    }
}
