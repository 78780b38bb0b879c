package io.crmhistory.api.customer.query;

import io.crmhistory.api.customer.CustomerStatus;

import java.time.Instant;

/**
 * The customer's segment, why (the scores, their inputs and the rule that matched, or {@code fallback})
 * and since when.
 *
 * @param evaluatedAt the instant recency was measured at
 */
public record CustomerSegmentView(String customerId,
                                  String segment,
                                  int ruleVersion,
                                  Instant since,
                                  String matchedRule,
                                  Scores scores,
                                  Inputs inputs,
                                  Instant evaluatedAt,
                                  long version) {

    /** Recency, frequency and monetary scores, 0 to 5. */
    public record Scores(int recency, int frequency, int monetary) {
    }

    /**
     * What the rules saw. {@code netRevenue} is a decimal string in the base currency;
     * {@code daysSinceLastPurchase} is {@code null} without purchases.
     */
    public record Inputs(CustomerStatus status, long orders, String netRevenue, Long daysSinceLastPurchase,
                         long contacts90d, Instant lastPurchaseAt) {
    }
}
