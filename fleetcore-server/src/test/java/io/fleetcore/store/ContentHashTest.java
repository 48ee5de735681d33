package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.model.DeviceRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The content hash is the third column of the natural key: its value must never change between versions (a
 * record stored before an upgrade and resent after it must hash the same), equal records hash the same, and
 * any difference in what a record says gives a different hash.
 */
class ContentHashTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static DeviceRecord teltonika(double lat, Map<String, Object> io) {
        return new DeviceRecord("356307042441013", T, lat, 25.2562916, 138.0, 12.0, 90, 6, 1, "240", "teltonika",
                Map.of(), io);
    }

    private static Map<String, Object> io() {
        Map<String, Object> io = new LinkedHashMap<>();
        io.put("66", 24079L);
        io.put("1", 1L);
        io.put("239", 0L);
        return io;
    }

    /** Values computed outside Java (Python hashlib over the same canonical text): fixed forever. */
    @Test
    void stableValues() {
        // sha256("teltonika|54.6676016|25.2562916|138.0|12.0|90|6|1|240|{"1":1,"239":0,"66":24079}")[:32]
        assertThat(RecordJson.contentHash(teltonika(54.6676016, io()))).isEqualTo("2d00026d1c2715fd288815f2be008c57");
        // sha256("json|37.9815116|23.73152|null|null|null|null|null|4002|{}")[:32]
        DeviceRecord json = new DeviceRecord("86915304265485", T, 37.9815116, 23.73152, null, null, null, null, null,
                "4002", "json", Map.of("rpm", 1726.0), null);
        assertThat(RecordJson.contentHash(json)).isEqualTo("568726408b504f1dc6561bb70483e379");
    }

    @Test
    void equalRecordsHashTheSameWhateverTheMapOrderOrThread() throws Exception {
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("239", 0L);
        reversed.put("1", 1L);
        reversed.put("66", 24079L);
        String expected = RecordJson.contentHash(teltonika(54.6676016, io()));
        assertThat(RecordJson.contentHash(teltonika(54.6676016, reversed))).isEqualTo(expected);
        // the stored row carries the same key, and so does every thread (one digest per thread)
        assertThat(StoredRow.of(teltonika(54.6676016, io())).contentHash()).isEqualTo(expected);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> hashes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                hashes.add(pool.submit(() -> RecordJson.contentHash(teltonika(54.6676016, io()))));
            }
            for (Future<String> h : hashes) {
                assertThat(h.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The empty-map shortcut writes exactly what Jackson writes, so hashes and stored JSON do not change. */
    @Test
    void emptyJsonIsJacksonsEmptyObject() throws Exception {
        assertThat(RecordJson.toJson(Map.of())).isEqualTo(RecordJson.MAPPER.writeValueAsString(Map.of())).isEqualTo("{}");
        assertThat(RecordJson.toJson(null)).isEqualTo("{}");
        assertThat(RecordJson.toJson(io())).isEqualTo("{\"1\":1,\"239\":0,\"66\":24079}");
    }

    @Test
    void anyDifferenceGivesAnotherHash() {
        Set<String> hashes = new HashSet<>();
        hashes.add(RecordJson.contentHash(teltonika(54.6676016, io())));
        hashes.add(RecordJson.contentHash(teltonika(54.6676017, io())));
        Map<String, Object> otherIo = io();
        otherIo.put("66", 24080L);
        hashes.add(RecordJson.contentHash(teltonika(54.6676016, otherIo)));
        Map<String, Object> moreIo = io();
        moreIo.put("21", 3L);
        hashes.add(RecordJson.contentHash(teltonika(54.6676016, moreIo)));
        hashes.add(RecordJson.contentHash(new DeviceRecord("356307042441013", T, 54.6676016, 25.2562916, 138.0, 12.0, 91, 6,
                1, "240", "teltonika", Map.of(), io())));
        hashes.add(RecordJson.contentHash(new DeviceRecord("356307042441013", T, 54.6676016, 25.2562916, 138.0, 12.0, 90, 6,
                1, "241", "teltonika", Map.of(), io())));
        hashes.add(RecordJson.contentHash(new DeviceRecord("356307042441013", T, 54.6676016, 25.2562916, null, 12.0, 90, 6,
                1, "240", "teltonika", Map.of(), io())));
        assertThat(hashes).hasSize(7);
        for (String h : hashes) {
            assertThat(h).matches("[0-9a-f]{32}");
        }
    }
}
