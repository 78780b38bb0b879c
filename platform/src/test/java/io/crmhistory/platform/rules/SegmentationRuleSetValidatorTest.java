package io.crmhistory.platform.rules;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRuleSet.SegmentRule;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentationRuleSetValidatorTest {

    private static final List<BigDecimal> MONETARY = List.of(
            new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("5000"));

    private static SegmentationRuleSet ruleSet(List<Integer> recency, List<SegmentRule> segments, String fallback) {
        return new SegmentationRuleSet(recency, List.of(2, 3, 5, 10), MONETARY, segments, fallback);
    }

    private static void assertRejected(SegmentationRuleSet ruleSet, String field) {
        assertThatThrownBy(() -> SegmentationRuleSetValidator.validate(ruleSet))
                .isInstanceOf(InvalidRuleException.class)
                .extracting("field").isEqualTo(field);
    }

    @Test
    void theDefaultRuleSetIsValid() {
        assertThatCode(() -> SegmentationRuleSetValidator.validate(SegmentationRuleSet.DEFAULT)).doesNotThrowAnyException();
    }

    @Test
    void thresholdsMustBeFourStrictlyIncreasingPositiveNumbers() {
        List<SegmentRule> segments = List.of(new SegmentRule("ALL", "r >= 0"));
        assertRejected(ruleSet(List.of(30, 90, 180), segments, "X"), "recencyDays");
        assertRejected(ruleSet(null, segments, "X"), "recencyDays");
        assertRejected(ruleSet(List.of(30, 90, 90, 365), segments, "X"), "recencyDays[2]");
        assertRejected(ruleSet(List.of(0, 90, 180, 365), segments, "X"), "recencyDays[0]");
        assertRejected(ruleSet(List.of(30, -1, 180, 365), segments, "X"), "recencyDays[1]");
        assertRejected(new SegmentationRuleSet(List.of(30, 90, 180, 365), List.of(2, 3, 5, 10),
                List.of(new BigDecimal("100"), new BigDecimal("50"), new BigDecimal("1000"), new BigDecimal("5000")),
                segments, "X"), "monetary[1]");
    }

    @Test
    void segmentsNeedUniqueNonBlankNamesAndValidConditions() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        assertRejected(ruleSet(recency, List.of(), "X"), "segments");
        assertRejected(ruleSet(recency, List.of(new SegmentRule(" ", "r > 1")), "X"), "segments[0].name");
        assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1"), new SegmentRule("A", "f > 1")), "X"),
                "segments[1].name");
        assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1"),
                new SegmentRule("B", "T(java.lang.Runtime).getRuntime() != null")), "X"), "segments[1].when");
        assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1")), " "), "fallback");
    }
}
