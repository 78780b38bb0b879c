package io.crmhistory.platform.rules;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRuleSet.SegmentRule;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
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
    void aMonetaryThresholdHasAtMostFifteenDigitsBeforeThePointHoweverItIsWritten() {
        List<SegmentRule> segments = List.of(new SegmentRule("ALL", "r >= 0"));
        for (String huge : List.of("1E+2147483647", "1E+16", "1000000000000000")) {
            assertRejected(new SegmentationRuleSet(List.of(30, 90, 180, 365), List.of(2, 3, 5, 10),
                    List.of(new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal(huge)),
                    segments, "X"), "monetary[3]");
        }
        assertThatCode(() -> SegmentationRuleSetValidator.validate(new SegmentationRuleSet(List.of(30, 90, 180, 365),
                List.of(2, 3, 5, 10), List.of(new BigDecimal("1E+2"), new BigDecimal("500"), new BigDecimal("1000"),
                new BigDecimal("999999999999999.99")), segments, "X"))).doesNotThrowAnyException();
    }

    /**
     * The read side keeps thresholds as Decimal128 (34 significant digits): one written more finely was recorded, then
     * refused by the read side's store, and every later publication waited behind it.
     */
    @Test
    void aMonetaryThresholdHasAtMostEighteenDecimalPlacesWritten() {
        List<SegmentRule> segments = List.of(new SegmentRule("ALL", "r >= 0"));
        for (String fine : List.of("100.0000000000000000000000000000000001", "1E-7000", "100.0000000000000000000")) {
            assertRejected(new SegmentationRuleSet(List.of(30, 90, 180, 365), List.of(2, 3, 5, 10),
                    List.of(new BigDecimal(fine), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("5000")),
                    segments, "X"), "monetary[0]");
        }
        assertThatCode(() -> SegmentationRuleSetValidator.validate(new SegmentationRuleSet(List.of(30, 90, 180, 365),
                List.of(2, 3, 5, 10), List.of(new BigDecimal("0.000000000000000001"), new BigDecimal("500"),
                new BigDecimal("1000"), new BigDecimal("999999999999999.999999999999999999")), segments, "X")))
                .doesNotThrowAnyException();
    }

    /** Every customer's assessment tries the conditions in order: thousands of them would hold segmentation up. */
    @Test
    void aRuleSetHasAtMostAHundredSegments() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        List<SegmentRule> hundred = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> new SegmentRule("S" + i, "f > " + i)).toList();
        assertThatCode(() -> SegmentationRuleSetValidator.validate(ruleSet(recency, hundred, "X")))
                .doesNotThrowAnyException();
        List<SegmentRule> more = new java.util.ArrayList<>(hundred);
        more.add(new SegmentRule("S100", "f > 100"));
        assertRejected(ruleSet(recency, more, "X"), "segments");
    }

    @Test
    void aSegmentNameThatNoUrlCouldNameIsRefused() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        for (String name : List.of("A/B", "A\\B", "50%", "a;b", "tab\there", ".", "..", " VIP", "VIP ",
                "VIP\u2028Gold", "VIP\u2029Gold", "VIP\u0085Gold", "VIP\uD800")) {
            assertRejected(ruleSet(recency, List.of(new SegmentRule(name, "r > 1")), "X"), "segments[0].name");
            assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1")), name), "fallback");
        }
        for (String name : List.of("High value", "Stammkunden Ü", "A+B (2026)", "...", "R&D", "#1?", "Stars \uD83C\uDF1F")) {
            assertThatCode(() -> SegmentationRuleSetValidator.validate(
                    ruleSet(recency, List.of(new SegmentRule(name, "r > 1")), "X"))).as(name).doesNotThrowAnyException();
        }
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

    @Test
    void aConditionThatIsNoYesNoQuestionOrFailsForSomeCustomerIsRefusedWithThatCustomer() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        for (String failing : List.of("r + 1", "status > 3", "r / 0 > 1", "netRevenue / orders > 10",
                "daysSinceLastPurchase - 30 > 0", "predictedRevenue")) {
            assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1"), new SegmentRule("B", failing)), "X"),
                    "segments[1].when");
        }
        assertThatThrownBy(() -> SegmentationRuleSetValidator.validate(
                ruleSet(recency, List.of(new SegmentRule("A", "netRevenue / orders > 10")), "X")))
                .hasMessageContaining("a customer without purchases");
        for (String guarded : List.of("orders > 0 and netRevenue / orders > 10", "daysSinceLastPurchase > 60",
                "pAlive < 0.2 and predictedRevenue > 100", "status == 'ACTIVE' or contacts90d >= 3")) {
            assertThatCode(() -> SegmentationRuleSetValidator.validate(
                    ruleSet(recency, List.of(new SegmentRule("A", guarded)), "X"))).as(guarded).doesNotThrowAnyException();
        }
    }

    /**
     * A number no figure comes near: 1e-323 multiplied in a few dozen times made a twenty-thousand-digit decimal for
     * every customer at every assessment; 1e999 is infinite. Zero and ordinary sizes stay allowed.
     */
    @Test
    void numbersNoFigureComesNearAreRefused() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        String tiny = "status + (netRevenue" + "*1e-323".repeat(20) + " + 1) != ''";
        for (String condition : List.of(tiny, "netRevenue * 1e-19 > 0", "1e999 > r", "orders > 2000000000000000000L")) {
            assertRejected(ruleSet(recency, List.of(new SegmentRule("A", "r > 1"), new SegmentRule("B", condition)),
                    "X"), "segments[1].when");
        }
        for (String condition : List.of("netRevenue * 0.000001 > 0.5", "r > 0", "netRevenue < 1000000000000000000L",
                "netRevenue > -250.5")) {
            assertThatCode(() -> SegmentationRuleSetValidator.validate(ruleSet(recency,
                    List.of(new SegmentRule("B", condition)), "X"))).as(condition).doesNotThrowAnyException();
        }
        assertThatCode(() -> SegmentExpressions.compile("netRevenue * 1e-323 > 0"))
                .as("published before, still compiled by the read side").doesNotThrowAnyException();
    }

    /** A whole number that overflows for a trial customer is refused at publication, naming the operation. */
    @Test
    void aConditionWhoseWholeNumbersOverflowIsRefused() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        assertThatThrownBy(() -> SegmentationRuleSetValidator.validate(ruleSet(recency,
                List.of(new SegmentRule("A", "r > 1"), new SegmentRule("B", "r * 1000000000 > 2000000000")), "X")))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.field()).isEqualTo("segments[1].when"))
                .hasMessageContaining("a customer with purchases").hasMessageContaining("'(r * 1000000000)' is 5000000000");
        assertThatCode(() -> SegmentationRuleSetValidator.validate(ruleSet(recency,
                List.of(new SegmentRule("B", "r * 1000000000L > 2000000000")), "X"))).doesNotThrowAnyException();
    }

    /** The trials hold every status once: a condition that fails for prospects only is refused, not left to fail. */
    @Test
    void aConditionFailingOnlyForProspectsIsRefused() {
        assertRejected(ruleSet(List.of(30, 90, 180, 365), List.of(new SegmentRule("A", "r > 1"),
                new SegmentRule("B", "status == 'PROSPECT' and status > 3")), "X"), "segments[1].when");
    }

    @Test
    void aMissingSegmentOrThresholdIsNamed() {
        List<Integer> recency = List.of(30, 90, 180, 365);
        assertRejected(ruleSet(recency, java.util.Arrays.asList(new SegmentRule("A", "r > 1"), null), "X"), "segments[1]");
        assertRejected(ruleSet(java.util.Arrays.asList(30, null, 180, 365), List.of(new SegmentRule("A", "r > 1")), "X"),
                "recencyDays[1]");
    }
}
