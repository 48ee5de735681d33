package io.fleetcore.gateway;

import io.fleetcore.model.ExchangeNames;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code admit-login} of gateways with a login (Teltonika, GT06): the device of the login frame
 * (header {@link ExchangeNames#DEVICE}) is admitted on this connection, or refused and the connection closed
 * after the reply (frames written behind the login are dropped). The result is property
 * {@link ExchangeNames#ADMITTED}, the reply the protocol's. A database that cannot decide raises
 * {@link DeviceAdmission.UndecidedException} (no answer, connection closed, the device tries again).
 */
public final class AdmitLogin implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AdmitLogin.class);

    private final DeviceAdmission admission;

    public AdmitLogin(DeviceAdmission admission) {
        this.admission = admission;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        String protocol = exchange.getProperty(ExchangeNames.PROTOCOL, String.class);
        boolean admitted = admission.admit(device, protocol);
        exchange.setProperty(ExchangeNames.ADMITTED, admitted);
        if (admitted) {
            ConnectionTracker.identify(exchange, device);
            DeviceChannel.admit(exchange);
        } else {
            LOG.info("[{} {}] device {} refused (unknown or disabled)",
                    exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), protocol, device);
            DeviceChannel.closeAfterReply(exchange);
        }
    }
}
