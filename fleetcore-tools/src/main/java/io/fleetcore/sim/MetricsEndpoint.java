package io.fleetcore.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** fleetcore's Prometheus endpoint ({@code /observe/metrics} on the management port of this machine), as the tools read it. */
public final class MetricsEndpoint {

    private final HttpClient http;
    private final URI uri;
    private final Duration timeout;

    public MetricsEndpoint(int managementPort, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.uri = URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics");
        this.timeout = timeout;
    }

    /** The Prometheus text now; empty when fleetcore does not answer (down, paused or starting). */
    public Optional<String> scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
