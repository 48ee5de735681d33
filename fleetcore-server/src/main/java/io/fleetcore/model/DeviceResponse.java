package io.fleetcore.model;

/**
 * A device's answer to a command, as its frame decoder read it from the connection: the response text, or why the
 * response frame could not be read ({@code error} non-null, {@code text} null). Passed along the connection's
 * handlers as a Netty user event, never as a frame: it is not stored and gets no ACK.
 */
public record DeviceResponse(String text, String error) {

    public static DeviceResponse of(String text) {
        return new DeviceResponse(text, null);
    }

    public static DeviceResponse damaged(String error) {
        return new DeviceResponse(null, error);
    }
}
