package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import io.netty.channel.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code count-refusal} of gateways that answer refusals and keep the connection (json): after
 * {@code maxInRow} refused frames in a row the refusal is the connection's last reply. A frame of an
 * admitted device ends the run ({@link #accepted}).
 */
public final class RefusalLimit implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLimit.class);

    private final int maxInRow;

    public RefusalLimit(int maxInRow) {
        this.maxInRow = maxInRow;
    }

    @Override
    public void process(Exchange exchange) {
        Channel channel = DeviceChannel.of(exchange);
        if (channel == null || Boolean.TRUE.equals(exchange.getProperty(ExchangeNames.FRAME_KEPT, Boolean.class))) {
            return;
        }
        int inRow = DeviceChannel.counter(channel, DeviceChannel.REFUSED_IN_ROW).incrementAndGet();
        if (inRow >= maxInRow) {
            LOG.warn("[{} {}] {} refused frames in a row: closing the connection after this refusal",
                    exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), exchange.getProperty(ExchangeNames.PROTOCOL), inRow);
            DeviceChannel.closeAfterReply(exchange);
        }
    }

    /** A frame of this connection was admitted: the run of refusals is over. */
    static void accepted(Channel channel) {
        DeviceChannel.counter(channel, DeviceChannel.REFUSED_IN_ROW).set(0);
    }
}
