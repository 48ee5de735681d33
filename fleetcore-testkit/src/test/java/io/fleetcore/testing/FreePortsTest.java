package io.fleetcore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The servers' ports come from outside the kernel's ephemeral range: a CI run failed with "Address already in
 * use" when a port the kernel had picked for a probe went to an outgoing connection before fleetcore bound it.
 */
class FreePortsTest {

    @Test
    void portsAreOutsideTheEphemeralRangeNeverRepeatAndAreFreeOnTcpAndUdp() throws IOException {
        int[] ephemeral = FreePorts.ephemeralRange();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.next();
            assertThat(port < ephemeral[0] || port > ephemeral[1])
                    .as("port %d outside the ephemeral range %d..%d", port, ephemeral[0], ephemeral[1]).isTrue();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePorts.next();
        try (ServerSocket tcp = new ServerSocket(port);
             DatagramSocket udp = new DatagramSocket(port)) {
            assertThat(tcp.getLocalPort()).isEqualTo(udp.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortTakenOnTcpOrUdpIsSkipped() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0);
             DatagramSocket udp = new DatagramSocket(0)) {
            int t = tcp.getLocalPort();
            int u = udp.getLocalPort();
            assertThat(new FreePorts(t, t + 200, t).take()).isNotEqualTo(t);
            assertThat(new FreePorts(u, u + 200, u).take()).isNotEqualTo(u);
        }
    }

    @Test
    void theRangeIsBelowTheEphemeralOneOrAboveWhenThereIsNoRoomBelow() {
        assertThat(FreePorts.parseRange("32768\t60999\n")).containsExactly(32768, 60999);
        FreePorts linux = FreePorts.below(new int[] {32768, 60999});
        for (int i = 0; i < 50; i++) {
            assertThat(linux.take()).isBetween(32768 - FreePorts.SPAN, 32767);
        }
        FreePorts low = FreePorts.below(new int[] {1500, 50000});
        for (int i = 0; i < 50; i++) {
            assertThat(low.take()).isBetween(50001, 50000 + FreePorts.SPAN);
        }
    }
}
