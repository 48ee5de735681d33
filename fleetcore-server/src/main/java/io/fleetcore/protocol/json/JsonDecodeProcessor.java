package io.fleetcore.protocol.json;

import io.fleetcore.gateway.ConnectionTracker;
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

/** Route step {@code decode-frame} of the json gateway: {@code byte[]} body in, {@code List<DeviceRecord>} out. */
public final class JsonDecodeProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JsonDecodeProcessor.class);

    private final JsonProtocolDecoder decoder;
    private final FleetcoreMetrics metrics;

    public JsonDecodeProcessor(JsonProtocolDecoder decoder, FleetcoreMetrics metrics) {
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        byte[] frame = exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.setProperty(ExchangeNames.FRAME, frame);
        exchange.setProperty(ExchangeNames.PROTOCOL, JsonProtocolDecoder.PROTOCOL);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{} json] {}", exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), ByteBufUtil.hexDump(frame));
        }
        DeviceRecord record = decoder.decode(frame);
        exchange.getMessage().setHeader(ExchangeNames.DEVICE, record.deviceUid());
        ConnectionTracker.identify(exchange, record.deviceUid());
        metrics.recordsReceived(JsonProtocolDecoder.PROTOCOL, 1);
        exchange.getMessage().setBody(List.of(record));
    }
}
