package io.fleetcore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetcoreConfigTest {

    @Test
    void environmentOverridesDefaultsByUpperCaseUnderscoreName() {
        FleetcoreConfig c = FleetcoreConfig.load(Map.of("FLEETCORE_JSON_PORT", "3006", "FLEETCORE_DATA_DIR", "/var/fc"), Map.of());
        assertThat(c.getInt("fleetcore.json.port")).isEqualTo(3006);
        assertThat(c.dataDir()).hasToString("/var/fc");
        assertThat(c.getInt("fleetcore.management.port")).isEqualTo(9876);
    }

    @Test
    void explicitOverridesWin() {
        FleetcoreConfig c = FleetcoreConfig.load(Map.of("FLEETCORE_JSON_PORT", "3006"), Map.of("fleetcore.json.port", "4006"));
        assertThat(c.getInt("fleetcore.json.port")).isEqualTo(4006);
    }

    @Test
    void defaultsDescribeTheZeroSetupRun() {
        FleetcoreConfig c = FleetcoreConfig.load(Map.of(), Map.of());
        assertThat(c.dbUrl()).isEmpty();
        assertThat(c.amqpUri()).isEmpty();
        assertThat(c.get("fleetcore.routes")).isEqualTo("routes");
        assertThat(c.getInt("fleetcore.json.port")).isEqualTo(2006);
    }

    @Test
    void durationsAndClearErrors() {
        assertThat(FleetcoreConfig.parseDuration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(FleetcoreConfig.parseDuration("k", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FleetcoreConfig.parseDuration("k", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FleetcoreConfig.parseDuration("k", "40")).isEqualTo(Duration.ofMillis(40));
        assertThatThrownBy(() -> FleetcoreConfig.parseDuration("fleetcore.idle-timeout", "soon"))
                .hasMessageContaining("FLEETCORE_IDLE_TIMEOUT");
        FleetcoreConfig c = FleetcoreConfig.load(Map.of("FLEETCORE_JSON_PORT", "twenty"), Map.of());
        assertThatThrownBy(() -> c.getInt("fleetcore.json.port")).hasMessageContaining("FLEETCORE_JSON_PORT").hasMessageContaining("twenty");
    }
}
