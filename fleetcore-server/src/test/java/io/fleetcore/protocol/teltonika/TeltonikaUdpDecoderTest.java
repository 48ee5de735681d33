package io.fleetcore.protocol.teltonika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U1;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.U2;
import static io.fleetcore.protocol.teltonika.TeltonikaVectors.UDP_IMEI;

import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.OversizedFrame;
import io.fleetcore.protocol.DecodedFrame;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.protocol.ProtocolTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Teltonika over UDP: the two datagrams of Teltonika's "Data Sending Protocols" page and the negative cases, every value asserted. */
class TeltonikaUdpDecoderTest extends ProtocolTest {


    private final TeltonikaProtocolDecoder decoder = new TeltonikaProtocolDecoder();
    private final TeltonikaUdpProtocol protocol = new TeltonikaUdpProtocol(16384);

    private static void verifyOrigin(DeviceRecord r) {
        assertThat(r.deviceUid()).isEqualTo(UDP_IMEI);
        assertThat(r.protocol()).isEqualTo("teltonika");
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.latitude()).isZero();
        assertThat(r.longitude()).isZero();
        assertThat(r.altitude()).isZero();
        assertThat(r.angle()).isZero();
        assertThat(r.satellites()).isZero();
        assertThat(r.speedKmh()).isZero();
        assertThat(r.eventCode()).isEqualTo("1");
        assertThat(r.obd()).isEmpty();
    }

    @Test
    void codec8DatagramFromTheDocumentation() throws ProtocolException {
        TeltonikaUdpPacket packet = decoder.decodeUdp(binary(U1));
        assertThat(packet.packetId()).isEqualTo(0xCAFE);
        assertThat(packet.avlPacketId()).isEqualTo(0x05);
        assertThat(packet.imei()).isEqualTo(UDP_IMEI);
        DeviceRecord r = verifyRecords(packet.records(), 1).get(0);
        verifyOrigin(r);
        assertThat(r.fixTime()).isEqualTo(Instant.parse("2019-06-13T06:23:26Z")).isEqualTo(Instant.ofEpochMilli(1560407006000L));
        assertThat(r.io()).containsOnly(entry("21", 3L), entry("1", 1L), entry("66", 23996L));
        verifyAck(protocol.ack(binary(U1)), TeltonikaVectors.U1_ACK);
    }

    @Test
    void codec8ExtendedDatagramFromTheDocumentation() throws ProtocolException {
        TeltonikaUdpPacket packet = decoder.decodeUdp(binary(U2));
        assertThat(packet.packetId()).isEqualTo(0xCAFE);
        assertThat(packet.avlPacketId()).isEqualTo(0x07);
        assertThat(packet.imei()).isEqualTo(UDP_IMEI);
        DeviceRecord r = verifyRecords(packet.records(), 1).get(0);
        verifyOrigin(r);
        assertThat(r.fixTime()).isEqualTo(Instant.ofEpochMilli(1560407121000L));
        assertThat(r.io()).containsOnly(entry("1", 1L), entry("17", 157L), entry("16", 22949000L),
                entry("11", 893700218L), entry("14", 500686954L));
        verifyAck(protocol.ack(binary(U2)), TeltonikaVectors.U2_ACK);
    }

    /** The protocol step: records named like TCP's (OBD ids of the TCP table), device and raw bytes kept. */
    @Test
    void protocolDecodesADatagramIntoRecordsOfItsImei() throws ProtocolException {
        byte[] bytes = binary(U1);
        DecodedFrame frame = protocol.decode(new TeltonikaDatagram(bytes));
        assertThat(frame.login()).isFalse();
        assertThat(frame.deviceUid()).isEqualTo(UDP_IMEI);
        assertThat(frame.bytes()).isEqualTo(bytes);
        verifyOrigin(verifyRecords(frame.records(), 1).get(0));
        assertThat(protocol.name()).isEqualTo("teltonika-udp");
        assertThat(protocol.devicesProtocol()).isEqualTo("teltonika");
        assertThat(protocol.loginRequired()).isFalse();
        assertThat(protocol.refusal()).isNull();
        assertThat(protocol.loginReply(bytes, true)).isNull();
    }

    /** Packet id, AVL packet id and count are echoed whatever their values (high bits, 255 records). */
    @Test
    void ackEchoesPacketIdAvlPacketIdAndCount() {
        verifyAck(TeltonikaResponse.udpAck(0xFFFE, 0xFF, 255), "0005FFFE01FFFF");
        verifyAck(TeltonikaResponse.udpAck(0x0001, 0x00, 2), "00050001010002");
    }

    private void refused(String hex, String reason) {
        assertThatThrownBy(() -> decoder.decodeUdp(binary(hex))).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).reason()).isEqualTo(reason);
    }

    @Test
    void lengthFieldMustCountTheBytesThatFollow() {
        refused("003E" + U1.substring(4), "bad-length");
        refused("003C" + U1.substring(4), "bad-length");
        refused(U1 + "00", "bad-length");
        refused("0004CAFE0105", "bad-length");
        refused("", "bad-length");
        refused("0006CAFE0105000F", "bad-imei");
    }

    @Test
    void imeiMustBeDigitsWithinTheDatagram() {
        refused("003DCAFE01050000" + U1.substring(16), "bad-imei");
        refused("003DCAFE0105003C" + U1.substring(16), "bad-imei");
        // an IMEI with a letter: same length, 'A' instead of the last '5'
        refused(U1.substring(0, 44) + "41" + U1.substring(46), "bad-imei");
    }

    @Test
    void avlDataIsCheckedLikeOverTcp() {
        // number of data 2 changed
        refused(U1.substring(0, U1.length() - 2) + "02", "count-mismatch");
        // codec 0C (a GPRS command) is not AVL data
        refused(U1.substring(0, 46) + "0C" + U1.substring(48), "unsupported-codec");
        // one byte of the record cut (length fixed up)
        String cut = U1.substring(0, U1.length() - 4) + "01";
        refused(String.format("%04X", cut.length() / 2 - 2) + cut.substring(4), "truncated-record");
        // nothing after the IMEI
        refused("0015CAFE0105000F" + U1.substring(16, 46), "bad-length");
    }

    /** The datagram decoder: one datagram → one addressed frame from its sender, an oversized one refused by size, no leak. */
    @Test
    void datagramDecoderPassesWholeDatagramsFromTheirSender() {
        InetSocketAddress device = new InetSocketAddress("127.0.0.1", 40001);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 5027);
        EmbeddedChannel channel = new EmbeddedChannel(new TeltonikaDatagramDecoder(62));
        DatagramPacket small = new DatagramPacket(Unpooled.wrappedBuffer(binary(U1).clone(), 0, 62), server, device);
        DatagramPacket big = new DatagramPacket(Unpooled.wrappedBuffer(binary(U1)), server, device);
        channel.writeInbound(small, big);
        AddressedEnvelope<?, ?> first = channel.readInbound();
        assertThat(first.sender()).isEqualTo(device);
        assertThat(first.recipient()).isEqualTo(server);
        assertThat(((TeltonikaDatagram) first.content()).bytes()).isEqualTo(java.util.Arrays.copyOf(binary(U1), 62));
        AddressedEnvelope<?, ?> second = channel.readInbound();
        OversizedFrame oversized = (OversizedFrame) second.content();
        assertThat(oversized.protocol()).isEqualTo("teltonika-udp");
        assertThat(oversized.bytes()).isEqualTo(binary(U1));
        assertThat(oversized.detail()).isEqualTo("datagram of 63 bytes, at most 62");
        assertThat(small.refCnt()).isZero();
        assertThat(big.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }
}
