package io.fleetcore.sim;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The API bench's HTTP/1.1 client: one kept-alive connection, GET requests one at a time, each response read
 * in full (by its Content-Length or its chunks) through one reused buffer and counted, keeping only its first and
 * last bytes (or, on request, the whole body). The client shares the machine's two cores with the server and PostgreSQL while a page is timed; a
 * general client (java.net.http) hands each page between its own threads and copies it into fresh buffers and
 * then one array, time and garbage that are not the server's. {@link #checkPage} tells a complete, well-formed
 * page from anything else without parsing it.
 */
final class PageClient implements AutoCloseable {

    static final int KEPT = 128;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    PageClient(String host, int port) throws IOException {
        this.host = host + ":" + port;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * A response: status, content type, Content-Length (-1 when chunked), whether all of its body came (as many
     * bytes as announced, or the chunked body's last chunk), bytes read, the first and last bytes, the body if kept.
     */
    record Response(int status, String contentType, long contentLength, boolean complete, long bytes, String head, String tail,
                    byte[] body) {
    }

    Response get(String target, String apiKey, boolean keepBody) throws IOException {
        out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nX-API-Key: " + apiKey + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        long length = -1;
        boolean chunked = false;
        String contentType = "";
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("content-type")) {
                contentType = value;
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (!chunked && length < 0) {
            throw new IOException("response neither chunked nor with a Content-Length: " + statusLine);
        }
        Body body = new Body(keepBody);
        boolean complete = !chunked && body.read(length);
        if (chunked) {
            try {
                for (long size = chunkSize(); size > 0 && body.read(size); size = chunkSize()) {
                    line();
                }
                while (!line().isEmpty()) {
                    // the trailers after the last chunk
                }
                complete = true;
            } catch (EOFException e) {
                // the connection ended before the last chunk
            }
        }
        return body.response(Integer.parseInt(parts[1]), contentType, length, complete);
    }

    /** What is kept of a body while it is read: its count, first and last bytes, and the whole of it if asked. */
    private final class Body {

        final byte[] head = new byte[KEPT];
        final byte[] tail = new byte[KEPT];
        final ByteArrayOutputStream whole;
        long read;

        Body(boolean keep) {
            whole = keep ? new ByteArrayOutputStream() : null;
        }

        /** Reads {@code length} more bytes of the body; false when the connection ended first. */
        boolean read(long length) throws IOException {
            for (long left = length; left > 0; ) {
                if (start == end && !fill()) {
                    return false;
                }
                int n = (int) Math.min(end - start, left);
                if (read < KEPT) {
                    System.arraycopy(buffer, start, head, (int) read, (int) Math.min(n, KEPT - read));
                }
                if (n >= KEPT) {
                    System.arraycopy(buffer, start + n - KEPT, tail, 0, KEPT);
                } else {
                    System.arraycopy(tail, n, tail, 0, KEPT - n);
                    System.arraycopy(buffer, start, tail, KEPT - n, n);
                }
                if (whole != null) {
                    whole.write(buffer, start, n);
                }
                start += n;
                read += n;
                left -= n;
            }
            return true;
        }

        Response response(int status, String contentType, long length, boolean complete) {
            int kept = (int) Math.min(read, KEPT);
            return new Response(status, contentType, length, complete, read, new String(head, 0, kept, StandardCharsets.UTF_8),
                    new String(tail, KEPT - kept, kept, StandardCharsets.UTF_8), whole == null ? null : whole.toByteArray());
        }
    }

    /**
     * Null when the response is a complete, well-formed page of {@code /positions/latest}, else what is wrong:
     * status 200 and JSON; all of it came (its Content-Length, or up to the last chunk); it opens with
     * {@code {"items":[{} (a first item follows); it closes an item and the list and ends with
     * {@code "next"} equal to {@code expectedNext} (the cursor of the device the page must end with, or null for a
     * page that is not full), so a page cut short or ending anywhere else fails.
     */
    static String checkPage(Response r, String expectedNext) {
        if (r.status() != 200) {
            return "status " + r.status() + ": " + r.head();
        }
        if (!r.contentType().startsWith("application/json")) {
            return "content type " + r.contentType();
        }
        if (!r.complete()) {
            return "incomplete: read " + r.bytes() + " bytes" + (r.contentLength() < 0 ? " and no last chunk" : ", Content-Length " + r.contentLength());
        }
        if (!r.head().startsWith("{\"items\":[{")) {
            return "starts " + r.head();
        }
        String end = "}],\"next\":" + (expectedNext == null ? "null" : "\"" + expectedNext + "\"") + "}";
        if (!r.tail().endsWith(end)) {
            return "ends " + r.tail() + ", expected " + end;
        }
        return null;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        start = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    /** The size line of the next chunk; an {@link EOFException} (as if the connection ended) when a chunk fell short. */
    private long chunkSize() throws IOException {
        String line = line();
        if (line.isEmpty()) {
            throw new EOFException("no chunk size");
        }
        return Long.parseLong(line.split(";", 2)[0].trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (start == end && !fill()) {
                throw new EOFException("connection closed in the response's head");
            }
            byte b = buffer[start++];
            if (b == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
