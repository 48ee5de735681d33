package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code ack-device}: after {@code direct:ingest} made the packet's records durable, the reply is
 * their count as 4 bytes. Without the durable mark (nothing stored) there is no reply.
 */
public final class TeltonikaAckProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        Integer durable = exchange.getProperty(ExchangeNames.RECORDS_DURABLE, Integer.class);
        exchange.getMessage().setBody(durable == null ? null : TeltonikaResponse.ack(durable));
    }
}
