package io.crmhistory.platform.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an instant written the way {@link Instant#toString()} and Axon write them, {@code 2026-01-31T23:59:59Z} or
 * with 1 to 9 fraction digits ({@code .123Z}), without a general ISO parser: {@code DateTimeFormatter} fills and
 * resolves a map of parsed fields for each one, a tenth of a projection thread's samples in a rebuild (an event's
 * stored time stamp, session 51; its payload's {@code occurredAt}, session 54). Anything else (an offset other than
 * {@code Z}, a five-digit year, lower case, hour 24, a leap second, an impossible date) is not read here: the caller
 * hands it to the general parser, so every result, and every error, stays that parser's.
 */
public final class UtcInstants {

    private static final int SECONDS_LENGTH = "2026-01-31T23:59:59".length();
    private static final int[] NANOS_PER_DIGIT = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
            10, 1};

    private UtcInstants() {
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f]Z} (1 to 9 fraction digits), or null when the text is not that. */
    public static Instant parseOrNull(String s) {
        int length = s.length();
        if (length < SECONDS_LENGTH + 1 || length > SECONDS_LENGTH + 11 || length == SECONDS_LENGTH + 2
                || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (length > SECONDS_LENGTH + 1) {
            int fractionDigits = length - SECONDS_LENGTH - 2;
            int fraction = digits(s, SECONDS_LENGTH + 1, fractionDigits);
            if (s.charAt(SECONDS_LENGTH) != '.' || fraction < 0) {
                return null;
            }
            nanos = fraction * NANOS_PER_DIGIT[fractionDigits];
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException impossibleDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
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
