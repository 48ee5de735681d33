package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.config.FleetcoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * FLEETCORE_LOG_FORMAT: a JVM of its own configured by the real logback.xml logs a few events; with json every
 * line of its output is one JSON object with the fields a log shipper needs, with text none is. The same JVM
 * checks that the embedded broker's routine lines are off and its trouble lines on.
 */
class LogFormatTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the child JVM logs. */
    public static final class Emit {
        public static void main(String[] args) {
            Logger log = LoggerFactory.getLogger("io.fleetcore.gateway");
            MDC.put("device", "86915304265485");
            log.info("device {} connected", "86915304265485");
            MDC.clear();
            log.warn("rejected frame: bad-date (message_date 'soon\"\n\tnext') \u00e9 7b22", new IllegalStateException("outer",
                    new IOException("inner")));
            LoggerFactory.getLogger("qpid.message.queue.create").info("QUE-1001 : Create : routine");
            LoggerFactory.getLogger("qpid.message.queue.overfull").info("QUE-1003 : Overfull : trouble");
            LoggerFactory.getLogger("qpid.message.broker.fatal_error").info("BRK-1016 : Fatal error : trouble");
            LoggerFactory.getLogger("org.apache.camel.test").info("camel says hello");
        }
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        List<String> lines = run("json");
        assertThat(lines).hasSize(5);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(MAPPER.readTree(line));   // throws on anything that is not one JSON value
            assertThat(events.get(events.size() - 1).isObject()).as(line).isTrue();
        }
        JsonNode connected = events.get(0);
        assertThat(connected.path("timestamp").isNumber()).isTrue();
        assertThat(connected.path("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(connected.path("level").asText()).isEqualTo("INFO");
        assertThat(connected.path("loggerName").asText()).isEqualTo("io.fleetcore.gateway");
        assertThat(connected.path("threadName").asText()).isEqualTo("main");
        assertThat(connected.path("formattedMessage").asText()).isEqualTo("device 86915304265485 connected");
        assertThat(connected.path("mdc").path("device").asText()).isEqualTo("86915304265485");

        JsonNode rejected = events.get(1);
        assertThat(rejected.path("level").asText()).isEqualTo("WARN");
        assertThat(rejected.path("formattedMessage").asText())
                .isEqualTo("rejected frame: bad-date (message_date 'soon\"\n\tnext') \u00e9 7b22");
        assertThat(rejected.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(rejected.path("throwable").path("message").asText()).isEqualTo("outer");
        assertThat(rejected.path("throwable").path("cause").path("className").asText()).isEqualTo("java.io.IOException");
        assertThat(rejected.path("throwable").path("stepArray").size()).isGreaterThan(0);

        assertThat(events).extracting(e -> e.path("loggerName").asText())
                .containsExactly("io.fleetcore.gateway", "io.fleetcore.gateway", "qpid.message.queue.overfull",
                        "qpid.message.broker.fatal_error", "org.apache.camel.test");
    }

    @Test
    void textIsTheDefaultAndNotJson() throws Exception {
        List<String> lines = run(null);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] i\\.fleetcore\\.gateway - device 86915304265485 connected");
        assertThat(lines).noneMatch(l -> l.startsWith("{"));
        assertThat(String.join("\n", lines)).contains("java.lang.IllegalStateException: outer")
                .contains("Caused by: java.io.IOException: inner")
                .contains("QUE-1003 : Overfull : trouble").contains("BRK-1016 : Fatal error : trouble")
                .doesNotContain("QUE-1001");
    }

    @Test
    void anotherFormatIsRefusedBeforeLogbackStarts() {
        assertThatThrownBy(() -> Application.applyLogLevels(FleetcoreConfig.load(Map.of("fleetcore.log.format", "xml"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLEETCORE_LOG_FORMAT").hasMessageContaining("'xml'").hasMessageContaining("[text, json]");
    }

    /** Runs {@link Emit} in a JVM of its own (fresh logback) with FLEETCORE_LOG_FORMAT set or not; its stdout lines. */
    private static List<String> run(String format) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Emit.class.getName());
        pb.environment().remove("FLEETCORE_LOG_FORMAT");
        pb.environment().remove("FLEETCORE_ROOT_LOG_LEVEL");
        if (format != null) {
            pb.environment().put("FLEETCORE_LOG_FORMAT", format);
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
