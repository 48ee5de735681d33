package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** Which publishing channel (lane) a publish takes: one per device, always the same; the lanes in turn without one. */
class ConfirmedPublisherLanesTest {

    static ConfirmedPublisher publisher(int channels) {
        return new ConfirmedPublisher(new CachingConnectionFactory("127.0.0.1", 1), 1000, channels); // never connects
    }

    @Test
    void aDeviceAlwaysTakesTheSameLaneAndDevicesSpreadOverAll() {
        ConfirmedPublisher p = publisher(4);
        Set<Integer> used = new HashSet<>();
        for (int d = 0; d < 64; d++) {
            String device = "86915304265" + (400 + d);
            int lane = p.lane(device);
            assertThat(lane).isBetween(0, 3);
            for (int i = 0; i < 5; i++) {
                assertThat(p.lane(device)).as(device).isEqualTo(lane);
            }
            used.add(lane);
        }
        assertThat(used).as("64 IMEIs that differ in their last digits").containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void publishesWithoutADeviceTakeTheLanesInTurn() {
        ConfirmedPublisher p = publisher(3);
        List<Integer> lanes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lanes.add(p.lane(null));
        }
        assertThat(lanes).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(p.channels()).isEqualTo(3);
    }

    @Test
    void oneChannelTakesEveryPublish() {
        ConfirmedPublisher p = publisher(1);
        assertThat(List.of(p.lane(null), p.lane("a"), p.lane("b"), p.lane(null))).containsOnly(0);
    }

    @Test
    void noChannelIsAConfigurationError() {
        assertThatThrownBy(() -> publisher(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
