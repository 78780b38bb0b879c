package io.crmhistory.query.segment;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The outcome of evaluating a rule set for one customer at {@code evaluatedAt}: the segment, the rule
 * that matched ({@code fallback} when none did), the r/f/m scores and the inputs they came from.
 */
public record SegmentAssessment(String segment,
                                int ruleVersion,
                                String matchedRule,
                                int recency,
                                int frequency,
                                int monetary,
                                BigDecimal netRevenue,
                                Long daysSinceLastPurchase,
                                long contacts90d,
                                Instant evaluatedAt) {

    /** The name of {@link #matchedRule()} when no segment's condition held. */
    public static final String FALLBACK = "fallback";
}
