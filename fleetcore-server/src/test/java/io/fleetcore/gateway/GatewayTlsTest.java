package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.SelfSignedKeystore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code <protocol>Tls} handler: TLS off leaves the pipeline as it was; a bad keystore setting fails naming its key. */
class GatewayTlsTest {

    static SelfSignedKeystore keystore;

    @BeforeAll
    static void makeKeystore() {
        keystore = SelfSignedKeystore.create("device-port");
    }

    static FleetcoreConfig config(String... keyValues) {
        Map<String, String> s = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            s.put(keyValues[i], keyValues[i + 1]);
        }
        return FleetcoreConfig.load(s);
    }

    @Test
    void tlsOffAddsNothingToTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(GatewayTls.handler("teltonika", config()).newChannelHandler());
        assertThat(channel.pipeline().names()).as("only the channel's own tail is left").hasSize(1);
    }

    @Test
    void tlsOnPutsATlsServerHandlerOnEachConnection() {
        PerConnection tls = GatewayTls.handler("teltonika", config("fleetcore.teltonika.tls", "true",
                "fleetcore.teltonika.tls.keystore", keystore.file().toString(),
                "fleetcore.teltonika.tls.keystore-password", keystore.password()));
        SslHandler first = (SslHandler) tls.newChannelHandler();
        SslHandler second = (SslHandler) tls.newChannelHandler();
        assertThat(first).isNotSameAs(second);
        assertThat(first.engine().getUseClientMode()).isFalse();
    }

    @Test
    void aNamedKeyAliasIsUsedAndAnUnknownOneIsNamed() {
        assertThat(GatewayTls.handler("gt06", config("fleetcore.gt06.tls", "true", "fleetcore.gt06.tls.keystore", keystore.file().toString(),
                "fleetcore.gt06.tls.keystore-password", keystore.password(), "fleetcore.gt06.tls.key-alias", "device-port"))
                .newChannelHandler()).isInstanceOf(SslHandler.class);
        assertThatThrownBy(() -> GatewayTls.handler("gt06", config("fleetcore.gt06.tls", "true",
                "fleetcore.gt06.tls.keystore", keystore.file().toString(), "fleetcore.gt06.tls.keystore-password", keystore.password(),
                "fleetcore.gt06.tls.key-alias", "other")))
                .hasMessage("fleetcore.gt06.tls.key-alias: " + keystore.file() + " holds no private key named other"
                        + " (env FLEETCORE_GT06_TLS_KEY_ALIAS)");
    }

    @Test
    void aDatagramProtocolRefusesTlsNamingTheKey() {
        GatewayTls.refuseForDatagrams("teltonika-udp", config());
        GatewayTls.refuseForDatagrams("teltonika-udp", config("fleetcore.teltonika-udp.tls", "false"));
        assertThatThrownBy(() -> GatewayTls.refuseForDatagrams("teltonika-udp", config("fleetcore.teltonika-udp.tls", "true")))
                .hasMessage("fleetcore.teltonika-udp.tls: teltonika-udp takes datagrams, and TLS is for TCP ports (there is no DTLS)"
                        + " (env FLEETCORE_TELTONIKA_UDP_TLS)");
    }

    @Test
    void tlsWithoutAKeystoreNamesTheKey() {
        assertThatThrownBy(() -> GatewayTls.handler("json", config("fleetcore.json.tls", "true")))
                .hasMessage("fleetcore.json.tls=true needs a PKCS12 keystore in fleetcore.json.tls.keystore (env FLEETCORE_JSON_TLS_KEYSTORE)");
    }

    @Test
    void aMissingKeystoreFileNamesTheKey() {
        assertThatThrownBy(() -> GatewayTls.handler("json", config("fleetcore.json.tls", "true",
                "fleetcore.json.tls.keystore", "/nonexistent/device.p12", "fleetcore.json.tls.keystore-password", "x")))
                .hasMessage("fleetcore.json.tls.keystore: no such file /nonexistent/device.p12 (env FLEETCORE_JSON_TLS_KEYSTORE)");
    }

    @Test
    void aFileThatIsNoKeystoreNamesTheKey() {
        assertThatThrownBy(() -> GatewayTls.handler("json", config("fleetcore.json.tls", "true",
                "fleetcore.json.tls.keystore", "pom.xml", "fleetcore.json.tls.keystore-password", "x")))
                .hasMessageStartingWith("fleetcore.json.tls.keystore: cannot read pom.xml as a PKCS12 keystore")
                .hasMessageEndingWith("(env FLEETCORE_JSON_TLS_KEYSTORE)");
    }

    @Test
    void aWrongPasswordNamesThePasswordKeyAndNotThePassword() {
        assertThatThrownBy(() -> GatewayTls.handler("teltonika", config("fleetcore.teltonika.tls", "true",
                "fleetcore.teltonika.tls.keystore", keystore.file().toString(), "fleetcore.teltonika.tls.keystore-password", "wrong-secret")))
                .hasMessage("fleetcore.teltonika.tls.keystore-password does not open the keystore " + keystore.file()
                        + " (env FLEETCORE_TELTONIKA_TLS_KEYSTORE_PASSWORD)")
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void aTlsValueOtherThanTrueOrFalseIsNamed() {
        assertThatThrownBy(() -> GatewayTls.handler("json", config("fleetcore.json.tls", "yes")))
                .hasMessage("fleetcore.json.tls must be true or false, got 'yes' (env FLEETCORE_JSON_TLS)");
    }
}
