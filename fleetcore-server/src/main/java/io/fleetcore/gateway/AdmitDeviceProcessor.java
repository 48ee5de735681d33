package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code admit-device}, for gateways without a login (json; a login protocol's device was admitted at
 * its login, {@link AdmitLogin}, and passes): the device of every frame (header
 * {@link ExchangeNames#DEVICE}) must be admitted by {@link DeviceAdmission}; a refused one raises the
 * {@link ProtocolException} the route answers with its refusal. One connection registers at most
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
        DeviceProtocol of = protocols.of(exchange);
        if (of.loginRequired()) {
            return;
        }
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
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
        if (decision == DeviceAdmission.Decision.REFUSED) {
            throw new ProtocolException("device-not-admitted", mayRegister
                    ? "unknown, disabled, or registered for another protocol"
                    : "unknown, and this connection registered " + registered.get() + " new devices already", device);
        }
        if (channel != null) {
            RefusalLimit.accepted(channel);
        }
    }
}
