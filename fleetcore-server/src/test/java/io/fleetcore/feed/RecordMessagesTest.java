package io.fleetcore.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcore.store.RecordJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout 2: one message per device per batch, its records in order, capped, built from the records' bytes. */
class RecordMessagesTest {

    static FeedItem record(long id, String device) {
        String json = "{\"version\":1,\"id\":" + id + ",\"device_uid\":" + quote(device)
                + ",\"content_hash\":\"h" + id + "\",\"obd\":{\"rpm\":800},\"io\":{}}";
        return new FeedItem(id, "json." + device, device, Instant.ofEpochSecond(id), json.getBytes(StandardCharsets.UTF_8));
    }

    static String quote(String s) {
        try {
            return RecordJson.MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBatchBecomesOneMessagePerDeviceWithItsRecordsInOrderAndCapped() throws Exception {
        List<FeedItem> batch = List.of(record(1, "a"), record(2, "b"), record(3, "a"), record(4, "a"),
                record(5, "b"), record(6, "a"));
        List<FeedItem> messages = RecordMessages.byDevice(batch, 3);

        assertThat(messages).extracting(FeedItem::key).containsExactly("json.a", "json.a", "json.b");
        assertThat(messages).extracting(m -> m.messageId("x")).containsExactly("x:1-4", "x:6", "x:2-5");
        assertThat(messages).extracting(FeedItem::stored)
                .containsExactly(Instant.ofEpochSecond(4), Instant.ofEpochSecond(6), Instant.ofEpochSecond(5));
        JsonNode first = RecordJson.MAPPER.readTree(messages.get(0).body());
        assertThat(first.path("version").asInt()).isEqualTo(2);
        assertThat(first.path("device_uid").asText()).isEqualTo("a");
        assertThat(first.path("count").asInt()).isEqualTo(3);
        assertThat(RecordMessages.recordIds(messages.get(0).body())).containsExactly(1L, 3L, 4L);
        assertThat(RecordMessages.recordIds(messages.get(1).body())).containsExactly(6L);
        assertThat(RecordMessages.recordIds(messages.get(2).body())).containsExactly(2L, 5L);
        // each record is layout 1 without its version: natural key and named values kept
        JsonNode r = first.path("records").get(1);
        assertThat(r.has("version")).isFalse();
        assertThat(r.path("content_hash").asText()).isEqualTo("h3");
        assertThat(r.path("obd").path("rpm").asInt()).isEqualTo(800);
        JsonNode asLayout1 = RecordJson.MAPPER.readTree(batch.get(2).body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) asLayout1).remove("version");
        assertThat(r).isEqualTo(asLayout1);
    }

    @Test
    void theDeviceIsEscapedAndAnEmptyBatchHasNoMessage() throws Exception {
        String device = "dev \"q\" \u00fc\\ \u20ac";
        FeedItem m = RecordMessages.byDevice(List.of(record(7, device)), 1000).get(0);
        assertThat(RecordJson.MAPPER.readTree(m.body()).path("device_uid").asText()).isEqualTo(device);
        assertThat(m.device()).isEqualTo(device);
        assertThat(RecordMessages.byDevice(List.of(), 1000)).isEmpty();
    }

    @Test
    void whatIsNotALayoutOneRecordOrAZeroCapIsRefused() {
        FeedItem event = new FeedItem(9, "service.down", "x", Instant.EPOCH,
                "{\"version\":1 ,\"id\":9}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RecordMessages.byDevice(List.of(event), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 9");
        assertThatThrownBy(() -> RecordMessages.byDevice(List.of(record(1, "a")), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aLayoutOneMessageCarriesItself() throws Exception {
        assertThat(RecordMessages.recordIds(record(5, "a").body())).containsExactly(5L);
    }
}
