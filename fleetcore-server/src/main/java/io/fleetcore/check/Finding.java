package io.fleetcore.check;

import java.time.Instant;

/** One rule's objection to one record; the record itself stays as it is. */
public record Finding(long recordId, String deviceUid, Instant fixTime, String ruleCode, String detail) {
}
