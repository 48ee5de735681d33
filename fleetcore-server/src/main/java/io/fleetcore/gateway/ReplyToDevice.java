package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.DeviceProtocol;
import io.fleetcore.protocol.ProtocolException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code reply-to-device}, the one place a device's reply is computed, last in every gateway and in
 * the dead-letter route (which ends the exchange after the broker's confirm). The body becomes, from the
 * protocol of the exchange:
 * <ul>
 * <li>its ACK of the frame (or an empty reply where the protocol has none: the connection stays open) once the frame's records are durable ({@link ExchangeNames#RECORDS_DURABLE}: committed
 * or confirmed on a queue) or the frame was kept in rejected_frames ({@link ExchangeNames#FRAME_KEPT});</li>
 * <li>its login reply for a login ({@link ExchangeNames#ADMITTED});</li>
 * <li>its refusal when the frame was refused ({@link ProtocolException});</li>
 * <li>nothing otherwise (not durable): the connection is closed and the device sends the frame again.</li>
 * </ul>
 */
public final class ReplyToDevice implements Processor {

    /** written when a durable frame has no reply in its protocol (GT06 location): nothing on the wire, the connection stays */
    private static final byte[] NOTHING = new byte[0];

    private final Protocols protocols;

    public ReplyToDevice(Protocols protocols) {
        this.protocols = protocols;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(reply(exchange));
    }

    private byte[] reply(Exchange exchange) {
        DeviceProtocol protocol = protocols.of(exchange);
        if (protocol == null) {
            return null;
        }
        byte[] frame = exchange.getProperty(ExchangeNames.FRAME, byte[].class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (Boolean.TRUE.equals(exchange.getProperty(ExchangeNames.FRAME_KEPT, Boolean.class))
                || exchange.getProperty(ExchangeNames.RECORDS_DURABLE) != null) {
            byte[] ack = protocol.ack(frame);
            return ack == null ? NOTHING : ack;
        }
        if (caught instanceof ProtocolException) {
            return protocol.refusal();
        }
        if (caught != null) {
            return null;
        }
        Boolean admitted = exchange.getProperty(ExchangeNames.ADMITTED, Boolean.class);
        return admitted == null ? null : protocol.loginReply(frame, admitted);
    }
}
