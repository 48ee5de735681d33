package io.fleetcore.broker;

/** Exchange property and header names the dead-letter and redelivery routes share. */
public final class RetryExchange {

    /**
     * Exchange property a gateway sets before {@code direct:ingest}: its reply once the records are durable.
     * The dead-letter route answers with it after the broker's confirm (the dead-letter channel ends the
     * exchange there, so the gateway's own ACK step does not run).
     */
    public static final String ACK = "fleetcoreAck";
    /** Exchange property: the {@link RetryEnvelope} a redelivered exchange came in. */
    public static final String ENVELOPE = "fleetcoreEnvelope";
    /** Exchange property: true while an exchange from the retry queue runs through direct:ingest. */
    public static final String REDELIVERY = "fleetcoreRedelivery";
    /** Exchange property: records carried by the envelope being published or stored. */
    public static final String RECORD_COUNT = "fleetcoreRecordCount";
    /** Exchange property: {@code park} or {@code retry}, decided after a refused redelivery. */
    public static final String DECISION = "fleetcoreRetryDecision";
    /** Exchange property: milliseconds to wait before the envelope goes back to the retry queue. */
    public static final String DELAY_MS = "fleetcoreRetryDelayMs";

    private RetryExchange() {
    }
}
