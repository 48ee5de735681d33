package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.RawFrame;

/**
 * The first message of a Teltonika session, as {@link TeltonikaFrameDecoder} framed it: {@code 000F} + IMEI
 * digits. {@code imei} is the text as sent, not yet validated; {@code bytes} the whole frame.
 */
public record TeltonikaLogin(String imei, byte[] bytes) implements RawFrame {

    @Override
    public String toString() {
        return "TeltonikaLogin[" + imei + "]";
    }
}
