package io.crmhistory.platform.eventstore;

import org.axonframework.common.DateTimeUtils;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an event's stored time stamp. Axon writes every one in a single shape, {@code 2026-01-31T23:59:59.123Z}
 * ({@link DateTimeUtils#formatInstant}: a four-digit year, milliseconds, UTC), and reads it back through a general
 * ISO parser ({@link DateTimeUtils#parseInstant}), which copies a map of parsed fields and resolves them for every
 * event: 10 % of the query side's CPU in a rebuild at a million customers, parsed once by the reading thread for
 * the gap check and once more when the processor's thread builds the message (docs/benchmarks-log.md, session 51).
 * This reads that one shape directly, and hands anything else (a five-digit year, an offset other than {@code Z},
 * another number of fraction digits, lower case, an impossible date) to Axon's parser, so the result, or the error,
 * is always Axon's.
 */
final class StoredTimestamps {

    private static final int LENGTH = "2026-01-31T23:59:59.123Z".length();

    private StoredTimestamps() {
    }

    static Instant parse(String stored) {
        Instant instant = stored.length() == LENGTH ? parseUtcMillis(stored) : null;
        return instant != null ? instant : DateTimeUtils.parseInstant(stored);
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, or null when the text is not exactly that. */
    private static Instant parseUtcMillis(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = digits(s, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException impossibleDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
    }

    /** The number written by {@code count} ASCII digits from {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
