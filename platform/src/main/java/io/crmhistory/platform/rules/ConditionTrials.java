package io.crmhistory.platform.rules;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tries a condition on customers at the edges of what the query side evaluates, before its rule set is published:
 * parsing and the sandbox cannot see that {@code r + 1} is not a yes/no question, that {@code status > 3} compares
 * text with a number, or that {@code netRevenue / orders > 10} divides by zero for a customer without orders. Such a
 * condition would fail for those customers on every evaluation; here it is refused with the customer it fails for.
 * The inputs have the types the query side's evaluator gives them (scores int, counts long, money BigDecimal,
 * {@code daysSinceLastPurchase} null without a purchase). Forecast inputs are never null here: the evaluator skips a
 * condition whose forecast inputs are unknown.
 */
final class ConditionTrials {

    record Trial(String customer, Map<String, Object> variables) {
    }

    static final List<Trial> TRIALS = List.of(
            new Trial("a customer without purchases (daysSinceLastPurchase null, orders 0)",
                    variables(0, 0, 0, "LEAD", 0, "0", null, 0, 0.0, "0")),
            new Trial("a customer with purchases",
                    variables(5, 5, 5, "ACTIVE", 12, "1234.50", 3L, 4, 0.85, "310.20")),
            new Trial("a customer who bought today and returned it all (netRevenue 0, daysSinceLastPurchase 0)",
                    variables(5, 1, 0, "INACTIVE", 1, "0", 0L, 0, 1.0, "0")),
            new Trial("a churned customer whose refunds exceed the orders (netRevenue negative)",
                    variables(1, 1, 0, "CHURNED", 1, "-20.00", 400L, 0, 0.0, "0")));

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

    private static Map<String, Object> variables(int r, int f, int m, String status, long orders, String netRevenue,
                                                 Long daysSinceLastPurchase, long contacts90d, double pAlive,
                                                 String predictedRevenue) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("r", r);
        variables.put("f", f);
        variables.put("m", m);
        variables.put("status", status);
        variables.put("orders", orders);
        variables.put("netRevenue", new BigDecimal(netRevenue));
        variables.put("daysSinceLastPurchase", daysSinceLastPurchase);
        variables.put("contacts90d", contacts90d);
        variables.put("pAlive", pAlive);
        variables.put("predictedRevenue", new BigDecimal(predictedRevenue));
        return variables;
    }
}
