package io.fleetcore.check;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One data quality rule: looks at one stored record and says what is wrong with it, or nothing. Rules are
 * pure (no I/O): what they need from the database comes in the {@link Context}.
 */
public interface QualityRule {

    /** The rule's code in {@code quality_rules}. */
    String code();

    /** A finding's detail when the record breaks the rule, empty when it is fine. */
    Optional<String> check(CheckedRecord record, RuleSettings settings, Context context);

    /**
     * What a run knows besides the record: the event codes of table {@code event_codes}, per protocol (a
     * Teltonika event IO id is not a json event code).
     */
    record Context(Map<String, Set<String>> eventCodes) {

        public Context {
            eventCodes = Map.copyOf(eventCodes);
        }

        /** The codes known for the protocol; {@code null} when the table lists none for it (not checked). */
        public Set<String> eventCodes(String protocol) {
            return protocol == null ? null : eventCodes.get(protocol);
        }
    }
}
