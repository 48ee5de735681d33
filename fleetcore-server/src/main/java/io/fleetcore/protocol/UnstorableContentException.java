package io.fleetcore.protocol;

/**
 * An intact frame (its checksum and lengths are right) whose content can never be stored: a fix time
 * PostgreSQL or Java cannot represent, U+0000 in a text, extra fields beyond the limits, or data the
 * database refused. A resend cannot repair it, so the gateway answers with its protocol's refusal (json:
 * {@code 0}); where the protocol has none (Teltonika) the raw bytes are kept in {@code rejected_frames} and
 * the frame is ACKed, so the device's queue does not stay blocked by it forever.
 */
public class UnstorableContentException extends ProtocolException {

    public UnstorableContentException(String reason, String detail, String deviceUid) {
        super(reason, detail, deviceUid);
    }
}
