package io.fleetcore.gateway;

import io.fleetcore.config.FleetcoreConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a gateway's connections, bean {@code <protocol>Tls} of the gateway route template: with
 * {@code fleetcore.<protocol>.tls=true} a server-side TLS handler per connection (certificate and key from the
 * PKCS12 keystore {@code fleetcore.<protocol>.tls.keystore}, password from the environment only, optional key
 * alias); otherwise a handler that removes itself, so a plain gateway's pipeline is what it was. Everything after
 * it (frames, replies, the device's remote address) is the same on both. A keystore that is missing, unreadable,
 * opened by the wrong password or without the alias fails the start, naming the key to fix.
 */
public final class GatewayTls {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTls.class);

    private GatewayTls() {
    }

    /** The per-connection handler factory of {@code protocol}'s gateway. */
    public static PerConnection handler(String protocol, FleetcoreConfig config) {
        String prefix = "fleetcore." + protocol + ".tls";
        String on = config.get(prefix, "false");
        if (!on.equals("true") && !on.equals("false")) {
            throw failure(prefix + " must be true or false, got '" + on + "'", prefix);
        }
        if (on.equals("false")) {
            return new PerConnection(() -> Plain.INSTANCE);
        }
        SSLContext context = context(prefix, config);
        LOG.info("{} gateway: TLS with {}", protocol, config.get(prefix + ".keystore"));
        return new PerConnection(() -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            return new SslHandler(engine);
        });
    }

    /** The server's TLS context from the keystore settings under {@code prefix}; any problem names its key. */
    static SSLContext context(String prefix, FleetcoreConfig config) {
        String keystoreKey = prefix + ".keystore";
        String passwordKey = prefix + ".keystore-password";
        String aliasKey = prefix + ".key-alias";
        String file = config.get(keystoreKey, "");
        if (file.isEmpty()) {
            throw failure(prefix + "=true needs a PKCS12 keystore in " + keystoreKey, keystoreKey);
        }
        char[] password = config.get(passwordKey, "").toCharArray();
        KeyStore keystore;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            keystore = KeyStore.getInstance("PKCS12");
            keystore.load(in, password);
        } catch (NoSuchFileException e) {
            throw failure(keystoreKey + ": no such file " + file, keystoreKey);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw failure(passwordKey + " does not open the keystore " + file, passwordKey);
            }
            throw failure(keystoreKey + ": cannot read " + file + " as a PKCS12 keystore (" + e.getMessage() + ")", keystoreKey);
        } catch (GeneralSecurityException e) {
            throw failure(keystoreKey + ": cannot read " + file + " as a PKCS12 keystore (" + e.getMessage() + ")", keystoreKey);
        }
        try {
            String alias = config.get(aliasKey, "");
            if (alias.isEmpty()) {
                alias = Collections.list(keystore.aliases()).stream().filter(a -> isKey(keystore, a)).findFirst()
                        .orElseThrow(() -> failure(keystoreKey + ": " + file + " holds no private key", keystoreKey));
            } else if (!isKey(keystore, alias)) {
                throw failure(aliasKey + ": " + file + " holds no private key named " + alias, aliasKey);
            }
            Key key = keystore.getKey(alias, password);
            KeyStore one = KeyStore.getInstance("PKCS12");
            one.load(null, null);
            one.setKeyEntry(alias, (PrivateKey) key, password, keystore.getCertificateChain(alias));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(one, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw failure(keystoreKey + ": the key in " + file + " cannot serve TLS (" + e.getMessage() + ")", keystoreKey);
        }
    }

    private static boolean isKey(KeyStore keystore, String alias) {
        try {
            return keystore.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A protocol on datagrams has no TLS (no DTLS here): {@code fleetcore.<protocol>.tls} other than false stops the
     * start, instead of a TLS set-up its listener would never use.
     */
    public static void refuseForDatagrams(String protocol, FleetcoreConfig config) {
        String key = "fleetcore." + protocol + ".tls";
        if (!config.get(key, "false").equals("false")) {
            throw failure(key + ": " + protocol + " takes datagrams, and TLS is for TCP ports (there is no DTLS)", key);
        }
    }

    private static IllegalStateException failure(String message, String key) {
        return new IllegalStateException(message + " (env " + FleetcoreConfig.envName(key) + ")");
    }

    /** TLS off: leaves the pipeline as soon as it is added. */
    @ChannelHandler.Sharable
    static final class Plain extends ChannelHandlerAdapter {

        static final Plain INSTANCE = new Plain();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
        }
    }
}
