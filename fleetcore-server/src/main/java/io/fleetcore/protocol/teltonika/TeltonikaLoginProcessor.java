package io.fleetcore.protocol.teltonika;

import io.fleetcore.gateway.ConnectionTracker;
import io.fleetcore.gateway.DeviceAdmission;
import io.fleetcore.gateway.DeviceChannel;
import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code admit-device}: a {@link TeltonikaLogin} in, the answer out: {@code 01} when the device is
 * admitted, {@code 00} and the connection closed when it is not (frames written behind the login are dropped). A malformed IMEI raises the
 * {@link io.fleetcore.protocol.ProtocolException} the route records; a database that cannot decide raises
 * {@link DeviceAdmission.UndecidedException} (no answer, connection closed, the device tries again).
 */
public final class TeltonikaLoginProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TeltonikaLoginProcessor.class);

    private final TeltonikaProtocolDecoder decoder;
    private final DeviceAdmission admission;

    public TeltonikaLoginProcessor(TeltonikaProtocolDecoder decoder, DeviceAdmission admission) {
        this.decoder = decoder;
        this.admission = admission;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        TeltonikaLogin login = exchange.getMessage().getMandatoryBody(TeltonikaLogin.class);
        exchange.setProperty(ExchangeNames.FRAME, login.bytes());
        exchange.setProperty(ExchangeNames.PROTOCOL, TeltonikaProtocolDecoder.PROTOCOL);
        String imei = decoder.imei(login);
        exchange.getMessage().setHeader(ExchangeNames.DEVICE, imei);
        if (admission.admit(imei, TeltonikaProtocolDecoder.PROTOCOL)) {
            ConnectionTracker.identify(exchange, imei);
            DeviceChannel.admit(exchange);
            exchange.getMessage().setBody(TeltonikaResponse.accept());
        } else {
            LOG.info("[{} teltonika] device {} refused (unknown or disabled)",
                    exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), imei);
            DeviceChannel.closeAfterReply(exchange);
            exchange.getMessage().setBody(TeltonikaResponse.reject());
        }
    }
}
