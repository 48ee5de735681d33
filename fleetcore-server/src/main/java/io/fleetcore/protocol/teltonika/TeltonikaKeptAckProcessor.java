package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code ack-kept-teltonika-frame}: an intact AVL packet whose content can never be stored was kept
 * in rejected_frames ({@link ExchangeNames#FRAME_KEPT}); Teltonika has no refusal, so it is ACKed with the packet's
 * record count (byte 9, the same in Codec 8 and 8E) and the device moves on. Not kept: no reply.
 */
public final class TeltonikaKeptAckProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        byte[] packet = exchange.getProperty(ExchangeNames.FRAME, byte[].class);
        boolean kept = Boolean.TRUE.equals(exchange.getProperty(ExchangeNames.FRAME_KEPT, Boolean.class));
        exchange.getMessage().setBody(kept && packet != null && packet.length > 9 ? TeltonikaResponse.ack(packet[9] & 0xFF) : null);
    }
}
