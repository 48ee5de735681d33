package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.gt06.Gt06Protocol;
import io.fleetcore.protocol.gt06.Gt06Vectors;
import io.fleetcore.protocol.json.JsonProtocol;
import io.fleetcore.protocol.json.JsonProtocolDecoder;
import io.fleetcore.protocol.teltonika.TeltonikaProtocol;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The one place a device's reply is computed: every path, for every protocol. */
class ReplyToDeviceTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final ReplyToDevice reply = new ReplyToDevice(new Protocols(List.of(
            new JsonProtocol(new JsonProtocolDecoder(), 65536), new TeltonikaProtocol(16384), new Gt06Protocol(1024))));

    private String reply(String protocol, String frameHex, Consumer<Exchange> path) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(ExchangeNames.PROTOCOL, protocol);
        e.setProperty(ExchangeNames.FRAME, HEX.parseHex(frameHex));
        e.getMessage().setBody(List.of());
        path.accept(e);
        reply.process(e);
        byte[] body = e.getMessage().getBody(byte[].class);
        return body == null ? null : HEX.formatHex(body);
    }

    private static Consumer<Exchange> durable(int n) {
        return e -> e.setProperty(ExchangeNames.RECORDS_DURABLE, n);
    }

    private static Consumer<Exchange> caught(Exception ex) {
        return e -> e.setProperty(Exchange.EXCEPTION_CAUGHT, ex);
    }

    @Test
    void durableFramesGetTheProtocolsAck() {
        assertThat(reply("json", "7B7D", durable(1))).isEqualTo("31");
        assertThat(reply("teltonika", TeltonikaVectors.V3, durable(2))).isEqualTo("00000002");
        assertThat(reply("gt06", Gt06Vectors.HEARTBEAT, durable(0))).isEqualTo(Gt06Vectors.HEARTBEAT_ACK);
        assertThat(reply("gt06", Gt06Vectors.ALARM, durable(1))).isEqualTo(Gt06Vectors.ALARM_ACK);
        assertThat(reply("gt06", Gt06Vectors.LOCATION, durable(1))).as("no reply in the protocol, the connection stays").isEmpty();
    }

    @Test
    void aKeptUnstorableFrameIsAckedWhereTheProtocolHasNoRefusal() {
        assertThat(reply("teltonika", TeltonikaVectors.V1, e -> {
            e.setProperty(Exchange.EXCEPTION_CAUGHT, new io.fleetcore.protocol.UnstorableContentException("bad-timestamp", "x", "d"));
            e.setProperty(ExchangeNames.FRAME_KEPT, true);
        })).isEqualTo("00000001");
    }

    @Test
    void refusedFramesGetTheProtocolsRefusalOrNothing() {
        ProtocolException bad = new ProtocolException("bad-crc");
        assertThat(reply("json", "7B7D", caught(bad))).isEqualTo("30");
        assertThat(reply("teltonika", TeltonikaVectors.V1, caught(bad))).isNull();
        assertThat(reply("gt06", Gt06Vectors.ALARM, caught(bad))).isNull();
    }

    @Test
    void framesThatAreNotDurableGetNothing() {
        SQLException down = new SQLException("database down");
        assertThat(reply("json", "7B7D", caught(down))).isNull();
        assertThat(reply("teltonika", TeltonikaVectors.V1, caught(down))).isNull();
        assertThat(reply("gt06", Gt06Vectors.ALARM, caught(down))).isNull();
        assertThat(reply("gt06", Gt06Vectors.ALARM, e -> { })).as("nothing stored, nothing caught: no ACK").isNull();
    }

    @Test
    void loginsAreAnsweredByAdmission() {
        assertThat(reply("teltonika", TeltonikaVectors.LOGIN, e -> e.setProperty(ExchangeNames.ADMITTED, true))).isEqualTo("01");
        assertThat(reply("teltonika", TeltonikaVectors.LOGIN, e -> e.setProperty(ExchangeNames.ADMITTED, false))).isEqualTo("00");
        assertThat(reply("gt06", Gt06Vectors.LOGIN, e -> e.setProperty(ExchangeNames.ADMITTED, true))).isEqualTo(Gt06Vectors.LOGIN_ACK);
        assertThat(reply("gt06", Gt06Vectors.LOGIN, e -> e.setProperty(ExchangeNames.ADMITTED, false))).isNull();
    }

    @Test
    void outsideAGatewayThereIsNoReply() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(ExchangeNames.RECORDS_DURABLE, 1);
        reply.process(e);
        assertThat(e.getMessage().getBody()).isNull();
    }
}
