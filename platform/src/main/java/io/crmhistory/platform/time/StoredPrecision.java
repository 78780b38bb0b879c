package io.crmhistory.platform.time;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Business times are kept to the millisecond, the precision of the read models' dates (BSON dates) and of Axon's
 * stored time stamps: a time with finer digits would show cut in the live read models and whole in the as-of replay
 * of the same events, and an auditor asking for the state as of the instant a read model shows would miss the event
 * that happened within that millisecond. So the application's mapper cuts every time it reads (a request body, an
 * import line, a stored event; {@code UtcTimeDeserializer}), and the times the command side takes from its clock are
 * cut here.
 */
public final class StoredPrecision {

    public static final ChronoUnit UNIT = ChronoUnit.MILLIS;

    private StoredPrecision() {
    }

    /** The clock's instant in UTC, to the millisecond. */
    public static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.ofInstant(of(clock.instant()), ZoneOffset.UTC);
    }

    public static Instant of(Instant instant) {
        return instant.truncatedTo(UNIT);
    }

    public static OffsetDateTime of(OffsetDateTime time) {
        return time.truncatedTo(UNIT);
    }
}
