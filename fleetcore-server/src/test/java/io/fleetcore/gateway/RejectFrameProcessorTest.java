package io.fleetcore.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.store.Database;
import io.fleetcore.store.RejectedFrames;
import io.fleetcore.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rejection step against the real rejected_frames table. */
class RejectFrameProcessorTest {

    static Database database;

    @BeforeAll
    static void start() {
        database = TestServices.newMigratedDatabase();
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    private static Exchange refused(String device, String detail, String frame) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ProtocolException("bad-json", detail, device));
        exchange.setProperty(ExchangeNames.FRAME, frame.getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(ExchangeNames.PROTOCOL, "json");
        return exchange;
    }

    private static long rows(String where) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from rejected_frames where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theSameFrameRefusedAgainWithinTheWindowIsCountedNotStoredAgain() throws Exception {
        FleetcoreMetrics metrics = new FleetcoreMetrics();
        RejectFrameProcessor reject = new RejectFrameProcessor(new RejectedFrames(database.dataSource()), metrics, Duration.ofMinutes(10), 100);
        for (int i = 0; i < 5; i++) {
            reject.process(refused("repeat-1", "no", "{junk}"));
        }
        reject.process(refused("repeat-1", "no", "{other junk}"));
        reject.process(refused("repeat-2", "no", "{junk}"));
        assertThat(rows("device_uid = 'repeat-1'")).isEqualTo(2);
        assertThat(rows("device_uid = 'repeat-2'")).isEqualTo(1);
        assertThat(metrics.meterRegistry().find("fleetcore.frames.rejected").tag("reason", "bad-json").counter().count())
                .as("every refusal counted").isEqualTo(7.0);
        RejectFrameProcessor noWindow = new RejectFrameProcessor(new RejectedFrames(database.dataSource()), metrics, Duration.ZERO, 100);
        noWindow.process(refused("repeat-3", "no", "{junk}"));
        noWindow.process(refused("repeat-3", "no", "{junk}"));
        assertThat(rows("device_uid = 'repeat-3'")).isEqualTo(2);
    }

    @Test
    void controlCharactersAreEscapedInTheDetail() throws Exception {
        RejectFrameProcessor reject = new RejectFrameProcessor(new RejectedFrames(database.dataSource()), new FleetcoreMetrics(),
                Duration.ofMinutes(10), 100);
        reject.process(refused("escape-1", "value \"a\u0000b\nFAKE LOG LINE\u001b[31m\"", "{x}"));
        assertThat(rows("device_uid = 'escape-1' and detail = 'value \"a\\u0000b\\u000aFAKE LOG LINE\\u001b[31m\"'")).isEqualTo(1);
        assertThat(RejectedFrames.escape("tab\there")).isEqualTo("tab\\u0009here");
    }
}
