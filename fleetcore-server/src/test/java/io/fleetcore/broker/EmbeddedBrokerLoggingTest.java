package io.fleetcore.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker logs, at INFO, every message it discards: each record the records feed publishes while no
 * queue is bound to {@code fleetcore.records}, one log line per publish under load (a third of a profile's
 * samples were the embedded broker, its message logging among them). The packaged logging configuration
 * keeps that logger at WARN (with the rest of the broker's routine chatter); the messages that report trouble,
 * such as a queue dropping messages, stay at INFO.
 */
class EmbeddedBrokerLoggingTest {

    @Test
    void discardedMessagesAreNotLoggedOneByOne() {
        Logger discards = LoggerFactory.getLogger("qpid.message.exchange.discardmsg");
        assertThat(discards.isInfoEnabled()).isFalse();
        assertThat(discards.isWarnEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("qpid.message.queue.dropped").isInfoEnabled()).isTrue();
    }
}
