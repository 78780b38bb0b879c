package io.crmhistory.api.time;

import java.time.Instant;

/**
 * The instants the product stores and answers about: the years 0001 to 9999 (UTC). Read models keep dates as
 * {@link java.util.Date} and BSON dates (milliseconds in a long), which cannot hold all of ISO-8601's ±999999999
 * years; this range is far inside theirs and is what ISO-8601 writes without a sign. The command side refuses business
 * times outside it, the query side parameters and cursors.
 */
public final class StoredInstants {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** Exclusive: the first instant of the year 10000. */
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

    private StoredInstants() {
    }

    public static boolean supported(Instant instant) {
        return !instant.isBefore(EARLIEST) && instant.isBefore(END);
    }
}
