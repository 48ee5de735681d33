package io.fleetcore.api;

/** Names of the headers the read API's route steps share (route files use the same names). */
public final class Api {

    /** Request header carrying the caller's API key; removed once checked. */
    public static final String KEY_HEADER = "X-API-Key";
    /** Header: the name of the API key the request was made with (for logs; never the key). */
    public static final String CLIENT = "fleetcoreApiClient";
    /** Header: the validated device id of the request's path or body. */
    public static final String DEVICE_ID = "fleetcoreDeviceId";
    /** Header: page size, validated. */
    public static final String LIMIT = "fleetcoreLimit";
    /** Header: where the page starts (the decoded cursor; empty for the first page). */
    public static final String CURSOR = "fleetcoreCursor";
    /** Header: second part of a two-part cursor (positions: content hash after the fix time). */
    public static final String CURSOR_TIE = "fleetcoreCursorTie";
    /** Headers: the validated time range, ISO-8601 instants, from inclusive, to exclusive. */
    public static final String FROM = "fleetcoreFrom";
    public static final String TO = "fleetcoreTo";
    /** Header: the protocol of a device to register (may be null). */
    public static final String PROTOCOL = "fleetcoreDeviceProtocol";
    /** Header: whether a device is enabled (register, patch). */
    public static final String ENABLED = "fleetcoreDeviceEnabled";
    /** Headers of a CSV import: PostgreSQL array literals of the validated rows, and the row count. */
    public static final String IMPORT_IDS = "fleetcoreImportIds";
    public static final String IMPORT_PROTOCOLS = "fleetcoreImportProtocols";
    public static final String IMPORT_ENABLED = "fleetcoreImportEnabled";
    public static final String IMPORT_ROWS = "fleetcoreImportRows";

    private Api() {
    }
}
