package io.crmhistory.query.segment;

import org.bson.codecs.pojo.annotations.BsonId;

import java.time.Instant;
import java.util.Comparator;

/**
 * A customer moved from one segment to another ({@code from} is {@code null} for the first assessment).
 * Kept in the segment read model's own collection and shown in the customer's history as a
 * {@code SEGMENT_CHANGED} item. {@code cause} says what moved the customer: an {@code EVENT} of theirs,
 * {@code TIME} (recency crossing a threshold, found by the scheduled re-evaluation), new {@code RULES}, or a new
 * value {@code MODEL} (for rules that read {@code pAlive} or {@code predictedRevenue}), or a {@code REBUILD} of the
 * segment read model that assessed the customer differently from what the log last recorded.
 * The id places the item right after its cause in the timeline and makes rewriting it idempotent.
 * <p>
 * {@code loggedAt} is when the change was written, by the machine's clock (the business clock may be pinned): the
 * order of the log, in which each change starts where the customer's one before it ended. Changes written before
 * it was kept have none and come first.
 */
public record SegmentChange(@BsonId String id,
                            String customerId,
                            long sequence,
                            String eventId,
                            String from,
                            String to,
                            int ruleVersion,
                            String matchedRule,
                            String cause,
                            Instant occurredAt,
                            Instant recordedAt,
                            Instant loggedAt) {

    public static final String EVENT = "EVENT";
    public static final String TIME = "TIME";
    public static final String RULES = "RULES";
    public static final String MODEL = "MODEL";
    public static final String REBUILD = "REBUILD";
    /** The digits of a timeline key's sequence: the most a long has, so keys sort as their sequences do. */
    private static final int SEQUENCE_DIGITS = 19;

    /**
     * The order the changes were written in: the last of a customer's is the segment the log shows them in. Within
     * one millisecond (or among changes written before {@code loggedAt} was kept) a customer's changes follow their
     * sequence (a batch writes a customer's moves in event order; a re-evaluation records the sequence it saw), then
     * their time, then the id, in which an event's change ({@code /s}) sorts before a re-evaluation's ({@code /t}).
     */
    static final Comparator<SegmentChange> LOG_ORDER = Comparator
            .comparing(SegmentChange::loggedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(SegmentChange::sequence)
            .thenComparing(SegmentChange::recordedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SegmentChange::id);

    static SegmentChange causedByEvent(String customerId, long sequence, String eventId, String from,
                                       SegmentAssessment to, Instant occurredAt, Instant recordedAt,
                                       Instant loggedAt) {
        return new SegmentChange(causedByEventId(customerId, sequence), customerId, sequence, eventId, from,
                to.segment(), to.ruleVersion(), to.matchedRule(), EVENT, occurredAt, recordedAt, loggedAt);
    }

    /** The id of the change an event of this sequence made, if it moved the customer. */
    static String causedByEventId(String customerId, long sequence) {
        return timelineKey(customerId, sequence) + "/s";
    }

    static SegmentChange causedByReevaluation(SegmentState state, String cause, SegmentAssessment to, Instant at,
                                              Instant loggedAt) {
        return new SegmentChange(timelineKey(state.id(), state.lastSequence()) + "/t/" + cause + "/v" + to.ruleVersion()
                + "/" + String.format("%019d", at.toEpochMilli()), state.id(), state.lastSequence(), null,
                state.segment(), to.segment(), to.ruleVersion(), to.matchedRule(), cause, at, at, loggedAt);
    }

    /**
     * A rebuilt version of the read model, now live, assesses the customer in {@code to} after their event
     * {@code sequence}, where the log last showed {@code logged}; {@code version} is that read model version.
     * {@code byRun} tells the reconciling run's record from the projection's (the run withdraws only its own).
     */
    static SegmentChange causedByRebuild(String customerId, long sequence, String logged, SegmentAssessment to,
                                         int version, boolean byRun, Instant at, Instant loggedAt) {
        return new SegmentChange(causedByRebuildId(customerId, sequence, version, byRun),
                customerId, sequence, null, logged, to.segment(), to.ruleVersion(), to.matchedRule(), REBUILD, at, at,
                loggedAt);
    }

    /** The id of a rebuilt version's change taking the log over at this sequence, by its run or by an event. */
    static String causedByRebuildId(String customerId, long sequence, int version, boolean byRun) {
        return timelineKey(customerId, sequence) + "/r/v" + version + (byRun ? "/run" : "");
    }

    /**
     * The common prefix of the ids of every timeline item: ordered by customer, then by sequence. Padded by hand:
     * {@code String.format} parses its pattern and looks up the locale's digits on every call, 7 % of the projection
     * thread in a history rebuild, which makes a key for every event.
     */
    public static String timelineKey(String customerId, long sequence) {
        String digits = Long.toString(Math.max(sequence, 0));
        StringBuilder key = new StringBuilder(customerId.length() + 1 + SEQUENCE_DIGITS).append(customerId).append('/');
        key.append("0".repeat(SEQUENCE_DIGITS - digits.length()));
        return key.append(digits).toString();
    }
}
