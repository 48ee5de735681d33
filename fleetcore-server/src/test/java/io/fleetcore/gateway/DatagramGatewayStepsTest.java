package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.teltonika.TeltonikaProtocol;
import io.fleetcore.protocol.teltonika.TeltonikaUdpProtocol;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The gateway steps on a UDP port: its one channel serves every device, so it is no device's connection (no
 * per-connection state, never closed for one device), and the reply is the UDP ACK datagram only once durable.
 */
class DatagramGatewayStepsTest {

    private static Exchange exchangeOn(Channel channel) {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, channel.pipeline().lastContext());
        return e;
    }

    @Test
    void aUdpPortsChannelIsNoDevicesConnectionAndIsNeverClosedForOne() throws Exception {
        NioDatagramChannel udp = new NioDatagramChannel();
        try {
            Exchange e = exchangeOn(udp);
            assertThat(DeviceChannel.of(e)).isNull();
            DeviceChannel.closeAfterReply(e);
            new RefusalLimit(1).process(e);
            assertThat(e.getMessage().getHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE)).isNull();
            ConnectionTracker.identify(e, "352093086403655");
            assertThat(udp.attr(ConnectionTracker.DEVICE).get()).isNull();
        } finally {
            udp.unsafe().closeForcibly();
        }
    }

    @Test
    void aTcpConnectionIsClosedAfterItsReplyAsBefore() {
        EmbeddedChannel tcp = new EmbeddedChannel();
        Exchange e = exchangeOn(tcp);
        assertThat(DeviceChannel.of(e)).isSameAs(tcp);
        DeviceChannel.closeAfterReply(e);
        assertThat(e.getMessage().getHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE)).isEqualTo(true);
    }

    @Test
    void udpReplyIsTheAckDatagramOnlyWhenDurable() {
        ReplyToDevice reply = new ReplyToDevice(new Protocols(List.of(new TeltonikaProtocol(16384), new TeltonikaUdpProtocol(16384))));
        Exchange durable = udpExchange();
        durable.setProperty(ExchangeNames.RECORDS_DURABLE, 1);
        reply.process(durable);
        assertThat(HexFormat.of().withUpperCase().formatHex(durable.getMessage().getBody(byte[].class))).isEqualTo(TeltonikaVectors.U1_ACK);

        Exchange refused = udpExchange();
        refused.setProperty(Exchange.EXCEPTION_CAUGHT, new ProtocolException("device-not-admitted", "unknown", "352093086403655"));
        reply.process(refused);
        assertThat(refused.getMessage().getBody()).isNull();

        Exchange notDurable = udpExchange();
        notDurable.setProperty(Exchange.EXCEPTION_CAUGHT, new java.sql.SQLException("database down"));
        reply.process(notDurable);
        assertThat(notDurable.getMessage().getBody()).isNull();
    }

    private static Exchange udpExchange() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(ExchangeNames.PROTOCOL, "teltonika-udp");
        e.setProperty(ExchangeNames.FRAME, HexFormat.of().parseHex(TeltonikaVectors.U1));
        e.getMessage().setBody(List.of());
        return e;
    }
}
