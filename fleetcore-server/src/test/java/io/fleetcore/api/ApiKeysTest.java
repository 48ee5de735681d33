package io.fleetcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static final String KEY = "k3y-0123456789abcdef";

    @Test
    void parsesNameKeyRoleEntries() {
        ApiKeys keys = ApiKeys.parse(" app:" + KEY + ":read , ops:0123456789abcdef-ops:ADMIN ");
        assertThat(keys.find(KEY)).contains(new ApiKeys.Client("app", ApiKeys.Role.READ));
        assertThat(keys.find("0123456789abcdef-ops")).contains(new ApiKeys.Client("ops", ApiKeys.Role.ADMIN));
        assertThat(keys.find("0123456789abcdef-op")).isEmpty();
        assertThat(keys.find("")).isEmpty();
        assertThat(keys.find(null)).isEmpty();
        assertThat(keys.toString()).contains("app", "ops").doesNotContain(KEY);
    }

    @Test
    void badEntriesAreRefusedWithoutShowingAKey() {
        assertThatThrownBy(() -> ApiKeys.parse("app:" + KEY)).hasMessageContaining("entry 1").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ApiKeys.parse("app:" + KEY + ":write")).hasMessageContaining("read or admin").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ApiKeys.parse("app:short:read")).hasMessageContaining("at least 16").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiKeys.parse("app:" + KEY + ":read,app:" + KEY + "x:read")).hasMessageContaining("used twice")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ApiKeys.parse("a pp:" + KEY + ":read")).hasMessageContaining("name").hasMessageNotContaining(KEY);
    }

    @Test
    void noKeyIsOnlyAllowedOnLoopback() {
        ApiKeys none = ApiKeys.parse("");
        assertThat(none.isEmpty()).isTrue();
        none.requireKeysUnlessLoopback("127.0.0.1");
        none.requireKeysUnlessLoopback("localhost");
        none.requireKeysUnlessLoopback("::1");
        assertThatThrownBy(() -> none.requireKeysUnlessLoopback("0.0.0.0")).hasMessageContaining("FLEETCORE_API_KEYS");
        ApiKeys.parse("app:" + KEY + ":read").requireKeysUnlessLoopback("0.0.0.0");
    }

    @Test
    void parametersAreValidatedWithClearMessages() {
        assertThat(ApiParameters.limit(null, 1000, 10000)).isEqualTo(1000);
        assertThat(ApiParameters.limit("10000", 1000, 10000)).isEqualTo(10000);
        assertThatThrownBy(() -> ApiParameters.limit("10001", 1000, 10000)).hasMessageContaining("1 to 10000");
        assertThat(ApiParameters.decodeCursor(ApiParameters.encodeCursor("2024-05-01T10:00:00.000000Z|ab")))
                .isEqualTo("2024-05-01T10:00:00.000000Z|ab");
        assertThatThrownBy(() -> ApiParameters.decodeCursor("%%")).isInstanceOf(ApiProblem.class);
        assertThat(ApiParameters.deviceId("id", "356307042441013")).isEqualTo("356307042441013");
        assertThatThrownBy(() -> ApiParameters.deviceId("id", "x'; drop table devices; --")).isInstanceOf(ApiProblem.class);
    }
}
