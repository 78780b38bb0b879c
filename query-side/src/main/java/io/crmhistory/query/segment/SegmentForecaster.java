package io.crmhistory.query.segment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The forecast figures segment rules may read ({@code pAlive}, {@code predictedRevenue}), from the customer's
 * purchases at an instant. Pure from the evaluator's side: the segment read model plugs in the current value
 * model; the audit's as-of replay plugs in {@link #NONE}.
 */
@FunctionalInterface
public interface SegmentForecaster {

    /** No value model: the figures are unknown. */
    SegmentForecaster NONE = (purchases, now) -> null;

    /**
     * @return the figures, or {@code null} when no value model is fitted; {@code pAlive} is {@code null} for a
     *         customer without a purchase (whose {@code predictedRevenue} is 0)
     */
    Figures figures(List<SegmentState.Purchase> purchases, Instant now);

    record Figures(Double pAlive, BigDecimal predictedRevenue) {
    }
}
