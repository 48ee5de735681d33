package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A JDBC URL that carries a password is never logged with it, neither on start nor in a connect failure. */
class DatabaseUrlLoggingIT {

    static final String SECRET = "url-secret-7f3a";

    @Test
    void aPasswordInTheJdbcUrlNeverReachesTheLog() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            String url = TestServices.newDatabase() + "?password=" + SECRET;
            try (RunningFleetcore fc = RunningFleetcore.start(Map.of("fleetcore.db.url", url))) {
                assertThat(fc.server().runtime().database().isEmbedded()).isFalse();
            }
            String unreachable = "jdbc:postgresql://127.0.0.1:" + TestServices.freePort() + "/x?user=postgres&password=" + SECRET;
            assertThatThrownBy(() -> Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", unreachable,
                    "fleetcore.db.connection-timeout", "500ms"))))
                    .hasMessageContaining("password=***").hasMessageNotContaining(SECRET);
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = new ArrayList<>();
        synchronized (log) {
            for (ILoggingEvent e : log.list) {
                lines.add(e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    lines.add(t.getMessage());
                }
            }
        }
        assertThat(lines).anyMatch(l -> l != null && l.contains("PostgreSQL ready at") && l.contains("password=***"));
        assertThat(lines).noneMatch(l -> l != null && l.contains(SECRET));
    }

    @Test
    void withoutPasswordMasksTheParameterAndUserInfo() {
        assertThat(Database.withoutPassword("jdbc:postgresql://h:5432/db?user=a&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=a&password=***&ssl=true");
        assertThat(Database.withoutPassword("jdbc:postgresql://a:s3cret@h/db")).isEqualTo("jdbc:postgresql://a:***@h/db");
        assertThat(Database.withoutPassword("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
