package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.cli.CommandCommand;
import io.fleetcore.protocol.teltonika.TeltonikaCommand;
import io.fleetcore.protocol.teltonika.TeltonikaVectors;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Device commands end to end on the real broker and database: two instances (A and B) share both; a fake
 * Teltonika device logs in over a socket, reads the Codec 12 frame (every byte asserted) and answers; the CLI
 * runs in-process. Offline and silent devices are answered clearly; a command issued on A reaches a device
 * connected to B; an AVL packet arriving while a command waits is stored and ACKed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceCommandIT {

    static final String KEY = "it-admin-key-0123456789";
    static final String GETINFO_TEXT = "INI:2019/7/22 7:22 RTC:2019/7/22 7:53 RST:2 ERR:1 SR:0 BR:0 CF:0 FG:0 FL:0 TU:0/0 UT:0 SMS:0 "
            + "NOGPS:0:30 GPS:1 SAT:0 RS:3 RF:65 SF:1 MD:0";
    static final String GETINFO = "000000000000000F0C010500000007676574696E666F0100004312";

    RunningFleetcore a;
    RunningFleetcore b;

    @BeforeAll
    void start() {
        String exchange = TestServices.unique("fleetcore.commands");
        // a lets one API command wait at a time (onlyMaxWaitingCommandsWaitOnTheApiAndOneMoreIsA503)
        a = RunningFleetcore.start(Map.of("fleetcore.commands.exchange", exchange, "fleetcore.api.keys", "it:" + KEY + ":admin",
                "fleetcore.commands.max-waiting", "1"));
        b = RunningFleetcore.start(Map.of("fleetcore.commands.exchange", exchange, "fleetcore.api.keys", "it:" + KEY + ":admin",
                "fleetcore.db.url", a.setting("fleetcore.db.url")));
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    /** A fake Teltonika device: logs in with {@code imei} and keeps its connection. */
    static final class Device implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;

        Device(int port, String imei) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
            write(String.format("%04X", imei.length()) + HexFormat.of().formatHex(imei.getBytes(StandardCharsets.US_ASCII)));
            assertThat(in.readUnsignedByte()).as("login accepted").isEqualTo(1);
        }

        void write(String hex) throws IOException {
            socket.getOutputStream().write(HexFormat.of().parseHex(hex));
            socket.getOutputStream().flush();
        }

        String read(int bytes) throws IOException {
            byte[] b = new byte[bytes];
            in.readFully(b);
            return HexFormat.of().withUpperCase().formatHex(b);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Run(int exit, String out, String err, long millis) {
    }

    static CompletableFuture<Run> cli(RunningFleetcore fc, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine cl = new picocli.CommandLine(new CommandCommand(fc.server().runtime().config()));
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            long start = System.nanoTime();
            int exit = cl.execute(args);
            return new Run(exit, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
        });
    }

    @Test
    void cliSendsGetinfoAndPrintsTheDevicesResponse() throws Exception {
        String imei = "356307042441101";
        try (Device device = new Device(a.teltonikaPort(), imei)) {
            CompletableFuture<Run> run = cli(a, imei, "getinfo");
            assertThat(device.read(27)).isEqualTo(GETINFO);
            device.write(HexFormat.of().formatHex(TeltonikaCommand.response(GETINFO_TEXT)));
            Run r = run.get(20, TimeUnit.SECONDS);
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo(GETINFO_TEXT + System.lineSeparator());
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void avlPacketArrivingWhileACommandWaitsIsStoredAndAckedAndTheResponseStillCompletesIt() throws Exception {
        try (Device device = new Device(a.teltonikaPort(), TeltonikaVectors.IMEI)) {
            CompletableFuture<Run> run = cli(a, TeltonikaVectors.IMEI, "getver");
            assertThat(device.read(26)).isEqualTo(HexFormat.of().withUpperCase().formatHex(TeltonikaCommand.encode("getver")));
            device.write(TeltonikaVectors.V2);
            assertThat(device.read(4)).as("count ACK of the AVL packet").isEqualTo("00000001");
            device.write(HexFormat.of().formatHex(TeltonikaCommand.response("Ver:03.25.14 GPS:AXN_5.10")));
            Run r = run.get(20, TimeUnit.SECONDS);
            assertThat(r.out()).isEqualTo("Ver:03.25.14 GPS:AXN_5.10" + System.lineSeparator());
            assertThat(r.exit()).isZero();
            assertThat(a.awaitCount("select count(*) from records where device_uid = '" + TeltonikaVectors.IMEI + "'", 1)).isEqualTo(1);
        }
    }

    @Test
    void offlineDeviceIsAnsweredAtOnceWithANonZeroExit() throws Exception {
        Run r = cli(a, "356307042449999", "getinfo", "--timeout", "20").get(20, TimeUnit.SECONDS);
        assertThat(r.err()).isEqualTo("device 356307042449999 is not connected to any instance" + System.lineSeparator());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.millis()).isLessThan(5_000);
    }

    @Test
    void deviceThatNeverAnswersTimesOutAndItsConnectionTakesTheNextCommand() throws Exception {
        String imei = "356307042441202";
        try (Device device = new Device(a.teltonikaPort(), imei)) {
            CompletableFuture<Run> first = cli(a, imei, "getinfo", "--timeout", "2");
            assertThat(device.read(27)).isEqualTo(GETINFO);
            Run busy = cli(b, imei, "getinfo").get(20, TimeUnit.SECONDS);
            assertThat(busy.exit()).isEqualTo(5);
            assertThat(busy.err()).startsWith("device " + imei + " has a command in flight");
            Run r = first.get(20, TimeUnit.SECONDS);
            assertThat(r.err()).isEqualTo("no response from " + imei + " within 2 s" + System.lineSeparator());
            assertThat(r.exit()).isEqualTo(4);
            assertThat(r.millis()).isBetween(1_900L, 6_000L);
            CompletableFuture<Run> next = cli(a, imei, "getinfo");
            assertThat(device.read(27)).isEqualTo(GETINFO);
            device.write(HexFormat.of().formatHex(TeltonikaCommand.response("ok")));
            assertThat(next.get(20, TimeUnit.SECONDS).out()).isEqualTo("ok" + System.lineSeparator());
        }
    }

    @Test
    void deviceOfAProtocolWithoutCommandsIsToldSo() throws Exception {
        try (Socket gt06 = new Socket("127.0.0.1", Integer.parseInt(a.setting("fleetcore.gt06.port")))) {
            gt06.setSoTimeout(20_000);
            gt06.getOutputStream().write(HexFormat.of().parseHex(io.fleetcore.protocol.gt06.Gt06Vectors.LOGIN));
            byte[] ack = new DataInputStream(gt06.getInputStream()).readNBytes(10);
            assertThat(HexFormat.of().withUpperCase().formatHex(ack)).isEqualTo(io.fleetcore.protocol.gt06.Gt06Vectors.LOGIN_ACK);
            Run r = cli(b, io.fleetcore.protocol.gt06.Gt06Vectors.IMEI, "getinfo").get(20, TimeUnit.SECONDS);
            assertThat(r.err()).isEqualTo("device " + io.fleetcore.protocol.gt06.Gt06Vectors.IMEI
                    + " speaks gt06, which takes no commands" + System.lineSeparator());
            assertThat(r.exit()).isEqualTo(1);
        }
    }

    @Test
    void commandThroughInstanceAsApiReachesTheDeviceConnectedToB() throws Exception {
        String imei = "356307042441303";
        HttpClient http = HttpClient.newHttpClient();
        try (Device device = new Device(b.teltonikaPort(), imei)) {
            CompletableFuture<HttpResponse<String>> call = http.sendAsync(post(a, imei, "{\"command\":\"getinfo\",\"timeout_s\":15}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(device.read(27)).isEqualTo(GETINFO);
            device.write(HexFormat.of().formatHex(TeltonikaCommand.response(GETINFO_TEXT)));
            HttpResponse<String> response = call.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"device_id\":\"" + imei + "\",\"command\":\"getinfo\",\"response\":\"" + GETINFO_TEXT + "\"}");
        }
        // the device is known but no longer connected: 409 with a problem document
        HttpResponse<String> offline = http.send(post(a, imei, "{\"command\":\"getinfo\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(offline.statusCode()).isEqualTo(409);
        assertThat(offline.body()).contains("\"type\":\"/api/v1/problems/device-offline\"")
                .contains("\"detail\":\"device " + imei + " is not connected to any instance\"");
        HttpResponse<String> unknown = http.send(post(a, "356307042440000", "{\"command\":\"getinfo\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> bad = http.send(post(a, imei, "{\"command\":\"\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void silentDeviceOnTheApiIsA504() throws Exception {
        String imei = "356307042441404";
        HttpClient http = HttpClient.newHttpClient();
        try (Device device = new Device(b.teltonikaPort(), imei)) {
            HttpResponse<String> r = http.send(post(a, imei, "{\"command\":\"getinfo\",\"timeout_s\":1}"), HttpResponse.BodyHandlers.ofString());
            assertThat(device.read(27)).isEqualTo(GETINFO);
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("\"detail\":\"no response from " + imei + " within 1 s\"");
        }
    }

    /** A waiting command holds an HTTP worker thread: beyond fleetcore.commands.max-waiting, 503 at once, and the permit comes back. */
    @Test
    void onlyMaxWaitingCommandsWaitOnTheApiAndOneMoreIsA503() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (Device first = new Device(b.teltonikaPort(), "356307042441405");
             Device second = new Device(b.teltonikaPort(), "356307042441406")) {
            CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                    post(a, "356307042441405", "{\"command\":\"getinfo\",\"timeout_s\":3}"), HttpResponse.BodyHandlers.ofString());
            assertThat(first.read(27)).as("the first command waits for its device").isEqualTo(GETINFO);
            HttpResponse<String> refused = http.send(post(a, "356307042441406", "{\"command\":\"getinfo\",\"timeout_s\":1}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"type\":\"/api/v1/problems/too-many-commands\"").contains("fleetcore.commands.max-waiting");
            assertThat(waiting.isDone()).as("refused while the first still waits, not after it").isFalse();
            assertThat(waiting.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
            HttpResponse<String> next = http.send(post(a, "356307042441406", "{\"command\":\"getinfo\",\"timeout_s\":1}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.read(27)).as("the permit came back: the second device got its command").isEqualTo(GETINFO);
            assertThat(next.statusCode()).isEqualTo(504);
        }
    }

    static HttpRequest post(RunningFleetcore fc, String device, String json) {
        return HttpRequest.newBuilder(URI.create(fc.apiUrl() + "/api/v1/devices/" + device + "/commands"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
