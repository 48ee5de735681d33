package io.fleetcore.protocol.gt06;

import io.fleetcore.model.RawFrame;

/**
 * One GT06 frame (start bits … stop bits) as {@link Gt06FrameDecoder} cut it from the stream, not yet checked,
 * with the IMEI its connection logged in with ({@code null} before an intact login frame).
 */
public record Gt06Frame(String imei, byte[] bytes) implements RawFrame {

    @Override
    public String toString() {
        return "Gt06Frame[" + imei + ", " + bytes.length + " bytes]";
    }
}
