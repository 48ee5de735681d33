package io.fleetcore.protocol.teltonika;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.ExchangeNames;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Route step {@code decode-frame} of the teltonika gateway: a {@link TeltonikaPacket} in, {@code List<DeviceRecord>} out. */
public final class TeltonikaDecodeProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TeltonikaDecodeProcessor.class);

    private final TeltonikaProtocolDecoder decoder;
    private final FleetcoreMetrics metrics;

    public TeltonikaDecodeProcessor(TeltonikaProtocolDecoder decoder, FleetcoreMetrics metrics) {
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        TeltonikaPacket packet = exchange.getMessage().getMandatoryBody(TeltonikaPacket.class);
        exchange.setProperty(ExchangeNames.FRAME, packet.bytes());
        exchange.setProperty(ExchangeNames.PROTOCOL, TeltonikaProtocolDecoder.PROTOCOL);
        exchange.getMessage().setHeader(ExchangeNames.DEVICE, packet.imei());
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{} teltonika] {}", exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS),
                    ByteBufUtil.hexDump(packet.bytes()));
        }
        List<DeviceRecord> records = decoder.decode(packet.imei(), packet.bytes());
        metrics.recordsReceived(TeltonikaProtocolDecoder.PROTOCOL, records.size());
        exchange.getMessage().setBody(records);
    }
}
