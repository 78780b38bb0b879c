package io.crmhistory.query.audit;

import io.crmhistory.query.projection.EventEnvelope;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Which time an as-of question is asked on. */
enum Axis {

    /** What the system knew at the instant: events recorded (event timestamp) up to it. */
    RECORDED,
    /** What had happened by the instant, as known now: events whose business time is at or before it. */
    OCCURRED;

    static final List<String> NAMES = List.of("recorded", "occurred");

    static Axis parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "recorded" -> RECORDED;
            case "occurred" -> OCCURRED;
            default -> null;
        };
    }

    boolean includes(EventEnvelope envelope, Instant asOf) {
        Instant at = this == RECORDED ? envelope.recordedAt() : envelope.occurredAt();
        return !at.isAfter(asOf);
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
