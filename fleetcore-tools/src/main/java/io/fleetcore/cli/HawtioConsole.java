package io.fleetcore.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ClassMatcher;

/**
 * Hawtio 4 (its web archive) on an embedded Jetty, preconnected to one fleetcore's Jolokia. {@code /} is a
 * tiny page that stores the connection {@code fleetcore} in the browser (Hawtio 4.2 keeps connections in
 * local storage) and opens {@code /hawtio/camel/routes?con=fleetcore}; Hawtio reaches the Jolokia through
 * its own proxy, which is allowed only to the fleetcore host.
 */
public final class HawtioConsole implements AutoCloseable {

    public static final String CONNECTION_ID = "fleetcore";
    /** Where the console forwards Jolokia requests with its login (only when it was given one). */
    public static final String JOLOKIA_PATH = "/fleetcore/jolokia";

    private final Server server;

    private HawtioConsole(Server server) {
        this.server = server;
    }

    /**
     * @param war     Hawtio's web archive (io.hawt:hawtio-default)
     * @param jolokia fleetcore's Jolokia, e.g. {@code http://127.0.0.1:9876/observe/jolokia}
     */
    public static HawtioConsole start(String host, int port, Path war, URI jolokia, Path workDir) throws Exception {
        return start(host, port, war, jolokia, workDir, null);
    }

    /**
     * @param login when fleetcore's Jolokia wants basic authentication: the connection then goes to
     *              {@value #JOLOKIA_PATH} of this console, which forwards each request to {@code jolokia} with
     *              this login (the browser never sees the password); null: through Hawtio's proxy, no login
     */
    public static HawtioConsole start(String host, int port, Path war, URI jolokia, Path workDir, JolokiaLogin login) throws Exception {
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException("Hawtio web archive not found: " + war.toAbsolutePath()
                    + " (built by ./mvnw package as target/hawtio/hawtio.war; or pass --war)");
        }
        // Hawtio reads its settings from system properties when its web application starts
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.disableProxy", "false");
        System.setProperty("hawtio.localAddressProbing", "false");
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1," + jolokia.getHost());

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(war.toAbsolutePath().toString());
        Files.createDirectories(workDir);
        hawtio.setTempDirectory(workDir.toFile());
        hawtio.setThrowUnavailableOnStartupException(true);
        // the war brings its own logging (slf4j + log4j); fleetcore's logback stays outside. Its own Jolokia
        // agent (/hawtio/jolokia, this JVM) picks up fleetcore's jolokia-access.xml from the parent class path
        hawtio.addHiddenClassMatcher(new ClassMatcher("ch.qos.logback.", "org.slf4j."));

        ContextHandler connect = new ContextHandler(new ConnectPage(jolokia, login != null), "/");
        if (login != null) {
            ContextHandler forward = new ContextHandler(new JolokiaForward(jolokia, login), JOLOKIA_PATH);
            forward.setAllowNullPathInContext(true); // POST /fleetcore/jolokia itself, not redirected to .../
            server.setHandler(new ContextHandlerCollection(hawtio, forward, connect));
        } else {
            server.setHandler(new ContextHandlerCollection(hawtio, connect));
        }
        server.start();
        return new HawtioConsole(server);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** {@code /}: saves the fleetcore connection in the browser and opens Hawtio's Camel routes with it. */
    static final class ConnectPage extends Handler.Abstract {

        private final byte[] html;

        ConnectPage(URI jolokia, boolean forwarded) {
            int port = jolokia.getPort() > 0 ? jolokia.getPort() : ("https".equals(jolokia.getScheme()) ? 443 : 80);
            // forwarded: Hawtio calls this console's JOLOKIA_PATH (same origin), which adds the login
            String connection = "{\"id\":\"%s\",\"name\":\"%s\",\"scheme\":\"%s\",\"host\":\"%s\",\"port\":%d,\"path\":\"%s\"%s}"
                    .formatted(CONNECTION_ID, CONNECTION_ID, jolokia.getScheme(), jolokia.getHost(), port, jolokia.getPath(),
                            forwarded ? ",\"jolokiaUrl\":\"" + JOLOKIA_PATH + "\"" : "");
            this.html = ("""
                    <!doctype html><html><head><meta charset="utf-8"><title>fleetcore: Hawtio</title></head><body>
                    <p>Connecting Hawtio to fleetcore at %s ...</p>
                    <script>
                      var all = JSON.parse(localStorage.getItem('connect.connections') || '{}');
                      all['%s'] = %s;
                      localStorage.setItem('connect.connections', JSON.stringify(all));
                      location.replace('/hawtio/camel/routes?con=%s');
                    </script></body></html>
                    """).formatted(jolokia, CONNECTION_ID, connection, CONNECTION_ID).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"/".equals(Request.getPathInContext(request))) {
                return false;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(html), callback);
            return true;
        }
    }
    /**
     * {@value #JOLOKIA_PATH}: forwards a Jolokia POST to fleetcore with the console's login and the browser's
     * {@code Origin}/{@code Referer} (fleetcore's Jolokia checks them), and answers with fleetcore's status and
     * body. Anything but POST is refused (fleetcore's Jolokia takes POST only).
     */
    static final class JolokiaForward extends Handler.Abstract {

        private final URI jolokia;
        private final JolokiaLogin login;
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();

        JolokiaForward(URI jolokia, JolokiaLogin login) {
            this.jolokia = jolokia;
            this.login = login;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!"POST".equals(request.getMethod())) {
                response.setStatus(405);
                response.write(true, ByteBuffer.allocate(0), callback);
                return true;
            }
            byte[] body;
            try (java.io.InputStream in = Request.asInputStream(request)) {
                body = in.readAllBytes();
            }
            java.net.http.HttpRequest.Builder forward = java.net.http.HttpRequest.newBuilder(jolokia)
                    .timeout(java.time.Duration.ofSeconds(30))
                    .header("Authorization", login.authorization())
                    .header("Content-Type", java.util.Objects.requireNonNullElse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), "text/json"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : new String[] {"Origin", "Referer"}) {
                String v = request.getHeaders().get(h);
                if (v != null) {
                    forward.header(h, v);
                }
            }
            java.net.http.HttpResponse<byte[]> answer;
            try {
                answer = http.send(forward.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
                response.setStatus(502);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap(("fleetcore's Jolokia at " + jolokia + " not reachable: " + e.getMessage())
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
            response.setStatus(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(t -> response.getHeaders().put(HttpHeader.CONTENT_TYPE, t));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
            return true;
        }
    }
}
