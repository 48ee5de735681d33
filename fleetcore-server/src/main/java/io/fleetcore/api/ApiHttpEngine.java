package io.fleetcore.api;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * camel-platform-http's Vert.x engine, told which port the API's server has. The stock engine looks for the
 * one HTTP server in the registry and falls back to 8080; with the management server beside the API's there
 * are two, so any API port other than 8080 would find no router. Bound as {@code platform-http-engine}.
 */
public final class ApiHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public ApiHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
