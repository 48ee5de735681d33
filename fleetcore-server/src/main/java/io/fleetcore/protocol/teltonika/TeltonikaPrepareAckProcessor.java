package io.fleetcore.protocol.teltonika;

import io.fleetcore.model.ExchangeNames;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step {@code prepare-teltonika-ack}: the reply the device gets if its records become durable by the
 * dead-letter path (confirmed on the retry queue) instead of a commit: the packet's record count, 4 bytes.
 * The dead-letter route ends the exchange with this property as the body.
 */
public final class TeltonikaPrepareAckProcessor implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> records = exchange.getMessage().getMandatoryBody(List.class);
        exchange.setProperty(ExchangeNames.ACK, TeltonikaResponse.ack(records.size()));
    }
}
