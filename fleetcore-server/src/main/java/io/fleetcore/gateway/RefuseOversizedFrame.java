package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.ProtocolException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code refuse-oversized-frame}, first in a gateway: input its frame decoder could not frame
 * within the size limit ({@link OversizedFrame}) is refused with reason {@code frame-too-large}, its start
 * kept in rejected_frames, and the connection closed after the refusal. Any other frame passes.
 */
public final class RefuseOversizedFrame implements Processor {

    @Override
    public void process(Exchange exchange) throws ProtocolException {
        if (exchange.getMessage().getBody() instanceof OversizedFrame frame) {
            exchange.setProperty(ExchangeNames.FRAME, frame.bytes());
            exchange.setProperty(ExchangeNames.PROTOCOL, frame.protocol());
            if (frame.deviceUid() != null) {
                exchange.getMessage().setHeader(ExchangeNames.DEVICE, frame.deviceUid());
            }
            DeviceChannel.closeAfterReply(exchange);
            throw new ProtocolException("frame-too-large", frame.detail(), frame.deviceUid());
        }
    }
}
