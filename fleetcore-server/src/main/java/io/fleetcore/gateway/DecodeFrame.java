package io.fleetcore.gateway;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.model.RawFrame;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.DeviceProtocol;
import io.netty.buffer.ByteBufUtil;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code decode-frame} of every gateway: the frame decoder's output in, the frame's
 * {@code List<DeviceRecord>} out (empty for a login, property {@link ExchangeNames#LOGIN}); the raw bytes, the
 * protocol and the device are set on the exchange for the steps that follow.
 */
public final class DecodeFrame implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeFrame.class);

    private final Protocols protocols;
    private final FleetcoreMetrics metrics;

    public DecodeFrame(Protocols protocols, FleetcoreMetrics metrics) {
        this.protocols = protocols;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DeviceProtocol protocol = protocols.of(exchange);
        Object frame = exchange.getMessage().getBody();
        byte[] raw = frame instanceof RawFrame r ? r.bytes() : exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.setProperty(ExchangeNames.FRAME, raw);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{} {}] {}", exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), protocol.name(),
                    ByteBufUtil.hexDump(raw));
        }
        DecodedFrame decoded = protocol.decode(frame);
        if (decoded.deviceUid() != null) {
            exchange.getMessage().setHeader(ExchangeNames.DEVICE, decoded.deviceUid());
        }
        exchange.setProperty(ExchangeNames.LOGIN, decoded.login());
        if (!decoded.login()) {
            if (!protocol.loginRequired() && decoded.deviceUid() != null) {
                ConnectionTracker.identify(exchange, decoded.deviceUid());
            }
            metrics.recordsReceived(protocol.name(), decoded.records().size());
        }
        exchange.getMessage().setBody(decoded.records());
    }
}
