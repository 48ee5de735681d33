package io.fleetcore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The bench's page client: what it reads of a response and which pages {@link PageClient#checkPage} refuses. */
class PageClientTest {

    static final String PAGE = "{\"items\":[" + "{\"device_id\":\"d\"},".repeat(200) + "{\"device_id\":\"e\"}],\"next\":\"ZQ\"}";

    @Test
    void readsEachResponseOfAKeptConnectionInFullAndKeepsItsEnds() throws Exception {
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> served = serve(server, List.of(response(200, page, page.length), response(200, page, page.length)), 7);
            try (PageClient client = new PageClient("127.0.0.1", server.getLocalPort())) {
                for (int i = 0; i < 2; i++) {
                    PageClient.Response r = client.get("/p", "k", i == 1);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bytes()).isEqualTo(page.length).isEqualTo(r.contentLength());
                    assertThat(r.complete()).isTrue();
                    assertThat(r.head()).isEqualTo(PAGE.substring(0, PageClient.KEPT));
                    assertThat(r.tail()).isEqualTo(PAGE.substring(PAGE.length() - PageClient.KEPT));
                    assertThat(PageClient.checkPage(r, "ZQ")).isNull();
                    assertThat(PageClient.checkPage(r, "Zg")).startsWith("ends ");
                    assertThat(r.body()).isEqualTo(i == 1 ? page : null);
                }
            }
            served.get();
        }
    }

    @Test
    void aPageCutShortOrNotAPageIsRefused() throws Exception {
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        try (ServerSocket server = new ServerSocket(0)) {
            serve(server, List.of(response(503, "busy".getBytes(StandardCharsets.UTF_8), 4)), 1000);
            try (PageClient client = new PageClient("127.0.0.1", server.getLocalPort())) {
                assertThat(PageClient.checkPage(client.get("/p", "k", false), "ZQ")).isEqualTo("status 503: busy");
            }
        }
        try (ServerSocket server = new ServerSocket(0)) {
            serve(server, List.of(response(200, java.util.Arrays.copyOf(page, 1000), page.length)), 1000);
            try (PageClient client = new PageClient("127.0.0.1", server.getLocalPort())) {
                assertThat(PageClient.checkPage(client.get("/p", "k", false), "ZQ")).isEqualTo("incomplete: read 1000 bytes, Content-Length " + page.length);
            }
        }
    }

    @Test
    void readsAChunkedPageAndRefusesOneWithoutItsLastChunk() throws Exception {
        String chunks = Integer.toHexString(300) + "\r\n" + PAGE.substring(0, 300) + "\r\n"
                + Integer.toHexString(PAGE.length() - 300) + ";x=1\r\n" + PAGE.substring(300) + "\r\n";
        String head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        try (ServerSocket server = new ServerSocket(0)) {
            serve(server, List.of((head + chunks + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                    (head + chunks).getBytes(StandardCharsets.UTF_8)), 50);
            try (PageClient client = new PageClient("127.0.0.1", server.getLocalPort())) {
                PageClient.Response whole = client.get("/p", "k", true);
                assertThat(whole.complete()).isTrue();
                assertThat(whole.contentLength()).isEqualTo(-1);
                assertThat(new String(whole.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
                assertThat(PageClient.checkPage(whole, "ZQ")).isNull();
                assertThat(PageClient.checkPage(client.get("/p", "k", false), "ZQ"))
                        .isEqualTo("incomplete: read " + PAGE.length() + " bytes and no last chunk");
            }
        }
    }

    /** Head and body, with a Content-Length that may promise more than the body holds. */
    private static byte[] response(int status, byte[] body, int contentLength) {
        byte[] head = ("HTTP/1.1 " + status + " X\r\ncontent-type: application/json\r\ncontent-length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Answers one request per response on one connection, writing in pieces of {@code piece} bytes, then closes it. */
    private static CompletableFuture<Void> serve(ServerSocket server, List<byte[]> responses, int piece) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (byte[] r : responses) {
                    int ends = 0;
                    while (ends < 4) {
                        int b = in.read();
                        ends = (b == '\r' || b == '\n') ? ends + 1 : 0;
                    }
                    for (int at = 0; at < r.length; at += piece) {
                        out.write(r, at, Math.min(piece, r.length - at));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
