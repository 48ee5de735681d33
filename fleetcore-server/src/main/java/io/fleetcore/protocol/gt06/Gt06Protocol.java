package io.fleetcore.protocol.gt06;

import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolProvider;
import io.netty.channel.ChannelHandler;
import java.util.Map;

/**
 * GT06 / Concox over TCP: the login is answered only when the device is admitted (else the connection is closed);
 * heartbeat and alarm are answered once durable; location has no reply in the protocol; there is no refusal.
 */
public final class Gt06Protocol implements DeviceProtocol {

    private final Gt06ProtocolDecoder decoder = new Gt06ProtocolDecoder();
    private final int maxFrameBytes;

    public Gt06Protocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public String name() {
        return Gt06ProtocolDecoder.PROTOCOL;
    }

    @Override
    public ChannelHandler newFrameDecoder() {
        return new Gt06FrameDecoder(maxFrameBytes);
    }

    @Override
    public Map<String, Object> nameIo(Map<String, Object> io) {
        return Gt06Io.name(io);
    }

    @Override
    public boolean loginRequired() {
        return true;
    }

    @Override
    public DecodedFrame decode(Object frame) throws ProtocolException {
        Gt06Frame f = (Gt06Frame) frame;
        Gt06Message message = decoder.decode(f);
        return message.login() ? DecodedFrame.login(f.bytes(), message.imei())
                : DecodedFrame.records(f.bytes(), message.imei(), message.records());
    }

    @Override
    public byte[] ack(byte[] frame) {
        return Gt06Response.replyTo(frame).orElse(null);
    }

    @Override
    public byte[] loginReply(byte[] frame, boolean admitted) {
        return admitted ? ack(frame) : null;
    }

    @Override
    public byte[] refusal() {
        return null;
    }

    /** Registers gt06 (found in its folder by its name, Provider): frame cap from {@code fleetcore.gt06.max-frame-bytes}. */
    public static final class Provider extends ProtocolProvider {

        public Provider() {
            super(Gt06ProtocolDecoder.PROTOCOL, settings -> new Gt06Protocol(settings.getInt("max-frame-bytes")));
        }
    }
}
