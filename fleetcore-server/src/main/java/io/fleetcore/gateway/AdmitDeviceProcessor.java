package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code admit-device}: the device of every frame (header {@link ExchangeNames#DEVICE}) must be
 * admitted by {@link DeviceAdmission}: on a gateway with a login (its device was admitted at its login,
 * {@link AdmitLogin}) only the operator's disabled set is asked; on one without (json) the whole admission. A
 * disabled device raises the {@link ProtocolException} {@code device-disabled}, any other refused one
 * {@code device-not-admitted}; the route answers with the protocol's refusal. One connection registers at most
 * {@code maxNewDevices} unknown devices, so a client that makes up a new id per frame cannot grow the
 * {@code devices} table without bound (a UDP port has no connections: no such cap). A device id longer than {@link #MAX_DEVICE_ID} characters or with
 * control characters is never admitted (nor logged as it is). An admitted frame ends a run of refusals ({@link RefusalLimit}).
 */
public final class AdmitDeviceProcessor implements Processor {

    /** longest device id admitted */
    static final int MAX_DEVICE_ID = 64;

    private final Protocols protocols;
    private final DeviceAdmission admission;
    private final int maxNewDevices;

    public AdmitDeviceProcessor(Protocols protocols, DeviceAdmission admission, int maxNewDevices) {
        this.protocols = protocols;
        this.admission = admission;
        this.maxNewDevices = maxNewDevices;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        DeviceProtocol of = protocols.of(exchange);
        if (of.loginRequired()) {
            if (admission.isDisabled(device)) {
                throw disabled(device);
            }
            return;
        }
        if (device == null || device.isEmpty() || device.length() > MAX_DEVICE_ID || device.chars().anyMatch(Character::isISOControl)) {
            throw new ProtocolException("device-not-admitted", "a device id has 1.." + MAX_DEVICE_ID
                    + " characters and no control characters", null);
        }
        String protocol = of.devicesProtocol();
        Channel channel = DeviceChannel.of(exchange);
        AtomicInteger registered = channel == null ? new AtomicInteger() : DeviceChannel.counter(channel, DeviceChannel.REGISTERED);
        boolean mayRegister = registered.get() < maxNewDevices;
        DeviceAdmission.Decision decision = admission.decide(device, protocol, mayRegister);
        if (decision == DeviceAdmission.Decision.REGISTERED) {
            registered.incrementAndGet();
        }
        if (decision == DeviceAdmission.Decision.DISABLED) {
            throw disabled(device);
        }
        if (decision == DeviceAdmission.Decision.REFUSED) {
            throw new ProtocolException("device-not-admitted", mayRegister
                    ? "unknown, or registered for another protocol"
                    : "unknown, and this connection registered " + registered.get() + " new devices already", device);
        }
        if (channel != null) {
            RefusalLimit.accepted(channel);
        }
    }

    private static ProtocolException disabled(String device) {
        return new ProtocolException("device-disabled", "device " + device + " is disabled", device);
    }
}
