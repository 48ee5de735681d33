package io.fleetcore.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code serve-asset}: a file of the fleet page from the classpath, only below the given roots
 * (the page's own folder and the Leaflet webjar), never anything else of the classpath or the disk. The
 * request path below {@code prefix} names the file; {@code /} is {@code index.html}.
 */
public final class ServeAsset implements Processor {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml", "json", "application/json");

    private final String prefix;
    private final String root;
    private final String only;

    /** Requests below {@code prefix} (e.g. {@code /webjars/leaflet/}) are served from classpath folder {@code root}. */
    public ServeAsset(String prefix, String root) {
        this(prefix, root, null);
    }

    private ServeAsset(String prefix, String root, String only) {
        this.prefix = prefix;
        this.root = root.endsWith("/") ? root : root + "/";
        this.only = only;
    }

    /** Every request gets the one file {@code name} of classpath folder {@code root}. */
    public static ServeAsset file(String root, String name) {
        return new ServeAsset("/", root, name);
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String requested = uri != null && uri.startsWith(prefix) ? uri.substring(prefix.length()) : path == null ? "" : path;
        int query = requested.indexOf('?');
        if (query >= 0) {
            requested = requested.substring(0, query);
        }
        if (requested.startsWith("/")) {
            requested = requested.substring(1);
        }
        if (only != null) {
            requested = only;
        } else if (requested.isEmpty()) {
            requested = "index.html";
        }
        String ext = requested.substring(requested.lastIndexOf('.') + 1);
        in.removeHeaders("*");
        if (requested.contains("..") || requested.contains("\\") || !requested.matches("[A-Za-z0-9._/-]+") || !TYPES.containsKey(ext)) {
            throw ApiProblem.notFound("no such file");
        }
        try (InputStream file = ServeAsset.class.getClassLoader().getResourceAsStream(root + requested)) {
            if (file == null) {
                throw ApiProblem.notFound("no such file");
            }
            in.setBody(file.readAllBytes());
        }
        in.setHeader(Exchange.CONTENT_TYPE, TYPES.get(ext));
        in.setHeader("Cache-Control", "no-cache");
    }
}
