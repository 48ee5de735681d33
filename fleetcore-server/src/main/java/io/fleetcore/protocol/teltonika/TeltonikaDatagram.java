package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.RawFrame;

/** One UDP datagram as it arrived on the Teltonika port ({@link TeltonikaDatagramDecoder}), not yet decoded. */
public record TeltonikaDatagram(byte[] bytes) implements RawFrame {

    @Override
    public String toString() {
        return "TeltonikaDatagram[" + bytes.length + " bytes]";
    }
}
