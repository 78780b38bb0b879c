package io.crmhistory.platform.rules;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * What a segment condition sees of one customer (SPEC section 6), with the types conditions are evaluated on: scores
 * {@code int}, counts {@code long}, money {@link BigDecimal}, {@code daysSinceLastPurchase} null without a purchase,
 * the forecast figures null while unknown. The query side's evaluator and the trials a rule set passes before it is
 * published ({@link ConditionTrials}) both build their inputs here, so a trial sees what an evaluation will.
 */
public record SegmentInputs(int r, int f, int m, String status, long orders, BigDecimal netRevenue,
                            Long daysSinceLastPurchase, long contacts90d, Double pAlive, BigDecimal predictedRevenue) {

    /** The inputs by the names conditions use ({@link SegmentExpressions#VARIABLES}). */
    public Map<String, Object> variables() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("r", r);
        variables.put("f", f);
        variables.put("m", m);
        variables.put("status", status);
        variables.put("orders", orders);
        variables.put("netRevenue", netRevenue);
        variables.put("daysSinceLastPurchase", daysSinceLastPurchase);
        variables.put("contacts90d", contacts90d);
        variables.put("pAlive", pAlive);
        variables.put("predictedRevenue", predictedRevenue);
        return variables;
    }
}
