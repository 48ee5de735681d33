package io.fleetcore.model;

/**
 * Every exchange property and header name fleetcore's route steps and route files share, in one place (as
 * Camel's own {@code Exchange} constants). Route files name them as text ({@code ${header.fleetcoreDevice}});
 * {@code RouteNamesTest} fails when a route file names a {@code fleetcore*} property or header not declared here.
 */
public final class ExchangeNames {

    private ExchangeNames() {
    }

    // --- gateway: the frame and its device ---
    /** Exchange property: the raw frame bytes, kept for the rejection log. */
    public static final String FRAME = "fleetcoreFrame";
    /** Exchange property: the protocol name of the gateway. */
    public static final String PROTOCOL = "fleetcoreProtocol";
    /** Exchange property: {@code true} once a refused frame's raw bytes are committed in rejected_frames. */
    public static final String FRAME_KEPT = "fleetcoreFrameKept";
    /** Header: the device of the frame, once known. */
    public static final String DEVICE = "fleetcoreDevice";
    /** Exchange property: {@code true} when the frame is a login (Teltonika IMEI, GT06 0x01). */
    public static final String LOGIN = "fleetcoreLogin";
    /** Exchange property: whether the device of a login frame was admitted. */
    public static final String ADMITTED = "fleetcoreAdmitted";

    // --- ingest: durability, which the device's reply follows ---
    /** Exchange property: how many of the exchange's records are durable (committed, or confirmed on a queue). */
    public static final String RECORDS_DURABLE = "fleetcoreRecordsDurable";

    // --- retry queue: redelivery and parking ---
    /** Exchange property: the retry envelope a redelivered exchange came in. */
    public static final String ENVELOPE = "fleetcoreEnvelope";
    /** Exchange property: true while an exchange from the retry queue runs through direct:ingest. */
    public static final String REDELIVERY = "fleetcoreRedelivery";
    /** Exchange property: records carried by the envelope being published or stored. */
    public static final String RECORD_COUNT = "fleetcoreRecordCount";
    /** Exchange property: {@link #PARK} or {@link #RETRY}, decided after a refused redelivery. */
    public static final String RETRY_DECISION = "fleetcoreRetryDecision";
    /** Value of {@link #RETRY_DECISION}: the envelope goes to the parked queue. */
    public static final String PARK = "park";
    /** Value of {@link #RETRY_DECISION}: the envelope goes back to the retry queue after {@link #RETRY_DELAY_MS}. */
    public static final String RETRY = "retry";
    /** Exchange property: milliseconds to wait before the envelope goes back to the retry queue. */
    public static final String RETRY_DELAY_MS = "fleetcoreRetryDelayMs";

    // --- feeds ---
    /** Header: the name of the feed an item is delivered on. */
    public static final String FEED = "fleetcoreFeed";

    // --- read API ---
    /** Request header carrying the caller's API key; removed once checked. */
    public static final String API_KEY_HEADER = "X-API-Key";
    /** Header: the name of the API key the request was made with (for logs; never the key). */
    public static final String API_CLIENT = "fleetcoreApiClient";
    /** Header: the validated device id of the request's path or body. */
    public static final String API_DEVICE_ID = "fleetcoreDeviceId";
    /** Header: page size, validated. */
    public static final String API_LIMIT = "fleetcoreLimit";
    /** Header: where the page starts (the decoded cursor; empty for the first page). */
    public static final String API_CURSOR = "fleetcoreCursor";
    /** Header: second part of a two-part cursor (positions: content hash after the fix time). */
    public static final String API_CURSOR_TIE = "fleetcoreCursorTie";
    /** Header: the validated start of a time range, an ISO-8601 instant, inclusive. */
    public static final String API_FROM = "fleetcoreFrom";
    /** Header: the validated end of a time range, an ISO-8601 instant, exclusive. */
    public static final String API_TO = "fleetcoreTo";
    /** Header: the protocol of a device to register (may be null). */
    public static final String API_DEVICE_PROTOCOL = "fleetcoreDeviceProtocol";
    /** Header: whether a device is enabled (register, patch). */
    public static final String API_DEVICE_ENABLED = "fleetcoreDeviceEnabled";
    /** Header of a CSV import: PostgreSQL array literal of the validated device ids. */
    public static final String API_IMPORT_IDS = "fleetcoreImportIds";
    /** Header of a CSV import: PostgreSQL array literal of the validated protocols. */
    public static final String API_IMPORT_PROTOCOLS = "fleetcoreImportProtocols";
    /** Header of a CSV import: PostgreSQL array literal of the validated enabled flags. */
    public static final String API_IMPORT_ENABLED = "fleetcoreImportEnabled";
    /** Header of a CSV import: the number of validated rows. */
    public static final String API_IMPORT_ROWS = "fleetcoreImportRows";
    /** Header of a device command: its validated text. */
    public static final String API_COMMAND = "fleetcoreCommand";
    /** Header of a device command: how long to wait for the device's answer, in milliseconds. */
    public static final String API_COMMAND_TIMEOUT_MS = "fleetcoreCommandTimeoutMs";
}
