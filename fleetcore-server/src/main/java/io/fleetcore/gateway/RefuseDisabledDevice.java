package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.ProtocolException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code refuse-disabled-device}: a frame of a device an operator disabled is refused like a
 * frame that cannot be stored (kept in rejected_frames with reason {@code device-disabled}, never ACKed;
 * json answers 0, Teltonika gets no ACK and the connection is closed, so its next login is refused).
 */
public final class RefuseDisabledDevice implements Processor {

    private final DisabledDevices disabled;

    public RefuseDisabledDevice(DisabledDevices disabled) {
        this.disabled = disabled;
    }

    @Override
    public void process(Exchange exchange) throws ProtocolException {
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        if (disabled.isDisabled(device)) {
            throw new ProtocolException("device-disabled", "device " + device + " is disabled", device);
        }
    }
}
