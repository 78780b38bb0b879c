package io.crmhistory.api.rules;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A segmentation rule set (SPEC section 6): score thresholds for recency (days), frequency (orders)
 * and monetary value (net revenue in the base currency), then segments tried in order; the first
 * whose {@code when} expression holds wins, else {@code fallback}.
 */
public record SegmentationRuleSet(List<Integer> recencyDays,
                                  List<Integer> frequencyOrders,
                                  @JsonFormat(shape = JsonFormat.Shape.STRING) List<BigDecimal> monetary,
                                  List<SegmentRule> segments,
                                  String fallback) {

    /** Version 1, in force until another version is published. */
    public static final SegmentationRuleSet DEFAULT = new SegmentationRuleSet(
            List.of(30, 90, 180, 365),
            List.of(2, 3, 5, 10),
            List.of(new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("5000")),
            List.of(
                    new SegmentRule("CHURNED", "status == 'CHURNED'"),
                    new SegmentRule("PROSPECT", "f == 0"),
                    new SegmentRule("CHAMPIONS", "r >= 4 and f >= 4 and m >= 4"),
                    new SegmentRule("LOYAL", "r >= 3 and f >= 3"),
                    new SegmentRule("NEW", "r >= 4 and f == 1"),
                    new SegmentRule("AT_RISK", "r <= 2 and f >= 3"),
                    new SegmentRule("HIBERNATING", "r <= 2")),
            "NEEDS_ATTENTION");

    public SegmentationRuleSet {
        recencyDays = unmodifiable(recencyDays);
        frequencyOrders = unmodifiable(frequencyOrders);
        monetary = unmodifiable(monetary);
        segments = unmodifiable(segments);
    }

    /** Not {@link List#copyOf}: a null element must reach the validator, which names it (segments[2]). */
    private static <T> List<T> unmodifiable(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** One named segment and the condition its members meet. */
    public record SegmentRule(String name, String when) {
    }
}
