package io.fleetcore.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/** Parsing and validation of request parameters; every refusal is an {@link ApiProblem} 400 naming the parameter. */
public final class ApiParameters {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern PROTOCOL = Pattern.compile("[a-z0-9_-]{1,32}");

    private ApiParameters() {
    }

    /** Device ids: 1-64 letters, digits, '.', '_', ':' or '-' (every protocol's ids fit). */
    public static String deviceId(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest(name + " is required");
        }
        if (!DEVICE_ID.matcher(value).matches()) {
            throw ApiProblem.badRequest(name + " must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
        return value;
    }

    /** A protocol name (lower-case letters, digits, '_', '-'), or null when absent. */
    public static String protocol(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!PROTOCOL.matcher(value).matches()) {
            throw ApiProblem.badRequest(name + " must be 1-32 lower-case letters, digits, '_' or '-'");
        }
        return value;
    }

    public static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= maxLimit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiProblem.badRequest("limit must be a whole number from 1 to " + maxLimit + ", got '" + shorten(value) + "'");
    }

    /** An ISO-8601 instant with zone ({@code 2024-05-01T10:00:00Z} or {@code +02:00}), or the default when absent. */
    public static Instant instant(String name, String value, Instant defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " must be an ISO-8601 date-time with offset, e.g. 2024-05-01T10:00:00Z, got '"
                    + shorten(value) + "'");
        }
    }

    public static String encodeCursor(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The text inside a cursor this API handed out; anything else is a 400. */
    public static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badCursor();
        }
    }

    public static ApiProblem badCursor() {
        return ApiProblem.badRequest("cursor is not one this API handed out (use the 'next' value of the previous page)");
    }

    static String shorten(String value) {
        String v = value.replaceAll("[^\\x20-\\x7e]", "?");
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }
}
