package io.crmhistory.query.segment;

import java.time.Instant;

/**
 * A customer moved from one segment to another ({@code from} is {@code null} for the first assessment).
 * Kept in the segment read model's own collection and shown in the customer's history as a
 * {@code SEGMENT_CHANGED} item. {@code cause} says what moved the customer: an {@code EVENT} of theirs,
 * {@code TIME} (recency crossing a threshold, found by the scheduled re-evaluation), new {@code RULES}, or a new
 * value {@code MODEL} (for rules that read {@code pAlive} or {@code predictedRevenue}).
 * The id places the item right after its cause in the timeline and makes rewriting it idempotent.
 */
public record SegmentChange(String id,
                            String customerId,
                            long sequence,
                            String eventId,
                            String from,
                            String to,
                            int ruleVersion,
                            String matchedRule,
                            String cause,
                            Instant occurredAt,
                            Instant recordedAt) {

    public static final String EVENT = "EVENT";
    public static final String TIME = "TIME";
    public static final String RULES = "RULES";
    public static final String MODEL = "MODEL";

    static SegmentChange causedByEvent(String customerId, long sequence, String eventId, String from,
                                       SegmentAssessment to, Instant occurredAt, Instant recordedAt) {
        return new SegmentChange(timelineKey(customerId, sequence) + "/s", customerId, sequence, eventId, from,
                to.segment(), to.ruleVersion(), to.matchedRule(), EVENT, occurredAt, recordedAt);
    }

    static SegmentChange causedByReevaluation(SegmentState state, String cause, SegmentAssessment to, Instant at) {
        return new SegmentChange(timelineKey(state.id(), state.lastSequence()) + "/t/" + cause + "/v" + to.ruleVersion()
                + "/" + String.format("%019d", at.toEpochMilli()), state.id(), state.lastSequence(), null,
                state.segment(), to.segment(), to.ruleVersion(), to.matchedRule(), cause, at, at);
    }

    /** The common prefix of the ids of every timeline item: ordered by customer, then by sequence. */
    public static String timelineKey(String customerId, long sequence) {
        return customerId + "/" + String.format("%019d", Math.max(sequence, 0));
    }
}
