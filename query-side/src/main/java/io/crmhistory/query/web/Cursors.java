package io.crmhistory.query.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.platform.web.ClientInputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Opaque keyset cursors: the position after the last item of a page (its sort value and id) plus the
 * ordering it belongs to, as base64url JSON. A cursor from another ordering or listing is refused.
 */
public final class Cursors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private Cursors() {
    }

    public static String encode(Map<String, String> position) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(position));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The ordering a cursor is issued for, tied to the filter of the page it continues: a cursor of another filter (or
     * of another customer's history) is refused instead of starting a page in the middle of the wrong list.
     */
    public static String ordering(String sort, Object... filter) {
        // From the values' text (collections sorted), never their hash codes: an enum's differs from JVM to JVM, and a
        // cursor must work on every instance and after a restart.
        StringBuilder text = new StringBuilder();
        for (Object value : filter) {
            text.append(value instanceof Collection<?> values
                    ? values.stream().map(String::valueOf).sorted().toList() : String.valueOf(value)).append('\u0000');
        }
        // A digest, not String.hashCode: 32 bits collide on demand ("Aa" and "BB"), and a cursor of one filter would then
        // be taken for another's.
        return sort + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOf(sha256(text.toString()), 16));
    }

    /**
     * @param ordering what the cursor must have been issued for (e.g. the sort), checked against its {@code o} field
     * @return the position, or {@code null} when no cursor was given
     */
    public static Map<String, String> decode(String cursor, String ordering) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        Map<String, String> position;
        try {
            position = JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8),
                    FIELDS);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (position == null || !ordering.equals(position.get("o")) || position.get("id") == null) {
            throw new ClientInputException("cursor", "was issued for another ordering or filter; "
                    + "start again without a cursor");
        }
        return position;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A cursor's instant, written as ISO-8601. One outside {@link Parameters#supported} was not issued by
     * this service (nothing it stores lies there) and would not fit the stores' dates.
     */
    public static Instant instant(String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (RuntimeException e) {
            throw invalid();
        }
        return supported(instant);
    }

    /** A cursor's instant, written as milliseconds since the epoch; checked as {@link #instant(String)}. */
    public static Instant instantOfEpochMillis(String value) {
        Instant instant;
        try {
            instant = Instant.ofEpochMilli(Long.parseLong(value));
        } catch (RuntimeException e) {
            throw invalid();
        }
        return supported(instant);
    }

    private static Instant supported(Instant instant) {
        if (!Parameters.supported(instant)) {
            throw invalid();
        }
        return instant;
    }

    private static ClientInputException invalid() {
        return new ClientInputException("cursor", "is not a cursor issued by this listing; pass the nextCursor "
                + "of the previous page unchanged");
    }
}
