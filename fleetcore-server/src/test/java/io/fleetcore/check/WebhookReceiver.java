package io.fleetcore.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local HTTP server that keeps every JSON body POSTed to it: the alert webhook's receiving end in tests. */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile int failFirst;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/alerts", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                int status = 204;
                synchronized (this) {
                    if (failFirst > 0) {
                        failFirst--;
                        status = 503;
                    } else {
                        received.add(json.readTree(body));
                    }
                }
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The next {@code n} POSTs are answered 503 (and not kept), to exercise retries. */
    synchronized void failNext(int n) {
        failFirst = n;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    public List<JsonNode> about(String subject) {
        return received.stream().filter(n -> subject.equals(n.path("subject").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
