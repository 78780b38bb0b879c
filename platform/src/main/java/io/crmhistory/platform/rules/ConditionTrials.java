package io.crmhistory.platform.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Tries a condition on customers at the edges of what the query side evaluates, before its rule set is published:
 * parsing and the sandbox cannot see that {@code r + 1} is not a yes/no question, that {@code status > 3} compares
 * text with a number, or that {@code netRevenue / orders > 10} divides by zero for a customer without orders. Such a
 * condition would fail for those customers on every evaluation; here it is refused with the customer it fails for.
 * The inputs are built as the query side's evaluator builds them ({@link SegmentInputs}). Forecast inputs are never
 * null here: the evaluator skips a condition whose forecast inputs are unknown.
 */
final class ConditionTrials {

    record Trial(String customer, Map<String, Object> variables) {
    }

    static final List<Trial> TRIALS = List.of(
            new Trial("a customer without purchases (daysSinceLastPurchase null, orders 0)",
                    inputs(0, 0, 0, "LEAD", 0, "0", null, 0, 0.0, "0")),
            new Trial("a customer with purchases",
                    inputs(5, 5, 5, "ACTIVE", 12, "1234.50", 3L, 4, 0.85, "310.20")),
            new Trial("a customer who bought today and returned it all (netRevenue 0, daysSinceLastPurchase 0)",
                    inputs(5, 1, 0, "INACTIVE", 1, "0", 0L, 0, 1.0, "0")),
            new Trial("a churned customer whose refunds exceed the orders (netRevenue negative)",
                    inputs(1, 1, 0, "CHURNED", 1, "-20.00", 400L, 0, 0.0, "0")),
            // Every status once: a condition that fails only for one (status == 'PROSPECT' and status > 3) is found.
            new Trial("a prospect in contact, without purchases",
                    inputs(0, 0, 0, "PROSPECT", 0, "0", null, 2, 0.0, "0")));

    private ConditionTrials() {
    }

    /** @throws InvalidRuleException naming {@code field} when the condition fails or is not true/false for a trial */
    static void tryOut(String field, SegmentCondition condition) {
        for (Trial trial : TRIALS) {
            Object result;
            try {
                result = SegmentExpressions.evaluate(condition, trial.variables());
            } catch (IllegalArgumentException e) {
                throw new InvalidRuleException(field, "cannot be evaluated for " + trial.customer() + ": " + e.getMessage());
            }
            if (!(result instanceof Boolean)) {
                throw new InvalidRuleException(field, "must be true or false, but gives " + result + " for "
                        + trial.customer());
            }
        }
    }

    private static Map<String, Object> inputs(int r, int f, int m, String status, long orders, String netRevenue,
                                              Long daysSinceLastPurchase, long contacts90d, double pAlive,
                                              String predictedRevenue) {
        return new SegmentInputs(r, f, m, status, orders, new BigDecimal(netRevenue), daysSinceLastPurchase,
                contacts90d, pAlive, new BigDecimal(predictedRevenue)).variables();
    }
}
