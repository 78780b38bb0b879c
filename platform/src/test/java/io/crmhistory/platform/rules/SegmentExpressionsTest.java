package io.crmhistory.platform.rules;

import io.crmhistory.api.rules.SegmentationRuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentExpressionsTest {

    @Test
    void everyInputAConditionMayNameIsGivenToIt() {
        SegmentInputs inputs = new SegmentInputs(1, 2, 3, "ACTIVE", 4, BigDecimal.TEN, 5L, 6, 0.5, BigDecimal.ONE);
        assertThat(inputs.variables()).containsOnlyKeys(SegmentExpressions.VARIABLES);
    }


    private static Map<String, Object> customer(int r, int f, int m, String status) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("r", r);
        variables.put("f", f);
        variables.put("m", m);
        variables.put("status", status);
        variables.put("orders", 12L);
        variables.put("netRevenue", new BigDecimal("1234.50"));
        variables.put("daysSinceLastPurchase", 12L);
        variables.put("contacts90d", 3);
        return variables;
    }

    @Test
    void everyDefaultRuleCompilesAndDecidesAsTheSpecSays() {
        Map<String, SegmentCondition> rules = new HashMap<>();
        SegmentationRuleSet.DEFAULT.segments().forEach(s -> rules.put(s.name(), SegmentExpressions.compile(s.when())));

        assertThat(rules.get("CHURNED").test(customer(5, 5, 5, "CHURNED"))).isTrue();
        assertThat(rules.get("CHURNED").test(customer(5, 5, 5, "ACTIVE"))).isFalse();
        assertThat(rules.get("PROSPECT").test(customer(0, 0, 0, "LEAD"))).isTrue();
        assertThat(rules.get("CHAMPIONS").test(customer(4, 4, 4, "ACTIVE"))).isTrue();
        assertThat(rules.get("CHAMPIONS").test(customer(4, 4, 3, "ACTIVE"))).isFalse();
        assertThat(rules.get("NEW").test(customer(5, 1, 1, "ACTIVE"))).isTrue();
        assertThat(rules.get("HIBERNATING").test(customer(2, 1, 1, "ACTIVE"))).isTrue();
        assertThat(rules.get("HIBERNATING").test(customer(3, 1, 1, "ACTIVE"))).isFalse();
    }

    @Test
    void arithmeticNotParenthesesAndDecimalsWork() {
        Map<String, Object> variables = customer(3, 2, 1, "ACTIVE");
        assertThat(SegmentExpressions.compile("(r + f) * 2 >= 10 and not (m > 1)").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("netRevenue > 1000.5 && orders % 2 == 0").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("netRevenue / 2 < 600 or status != 'ACTIVE'").test(variables)).isFalse();
        assertThat(SegmentExpressions.compile("!(daysSinceLastPurchase - 2 == 10)").test(variables)).isFalse();
    }

    /** Java's int and long wrap around: r * 1000000000 would be -1294967296 for r = 3, and the condition would hold. */
    @ParameterizedTest
    @ValueSource(strings = {
            "r * 1000000000 < 0",
            "r * 2147483647 * 2 > 0",
            "2147483647 + r > 0",
            "-2147483647 - r < 0",
            "orders * 1000000000000000000L > 0",
            "-(r - 3 - 2147483647 - 1) > 0",
            "(r - 3 - 2147483647 - 1) / -1 > 0"})
    void aWholeNumberThatOverflowsCannotBeEvaluated(String condition) {
        assertThatThrownBy(() -> SegmentExpressions.compile(condition).test(customer(3, 2, 1, "ACTIVE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the");
    }

    @Test
    void anOverflowNamesTheOperationItsResultAndTheRemedy() {
        assertThatThrownBy(() -> SegmentExpressions.compile("f == 2 and r * 1000000000 > 0").test(customer(3, 2, 1, "ACTIVE")))
                .hasMessageContaining("'(r * 1000000000)' is 3000000000, outside the int it is computed in "
                        + "(-2147483648 to 2147483647); a number written with L (1000L) makes it a long");
        assertThat(SegmentExpressions.compile("r * 1000000000L > 2000000000").test(customer(3, 2, 1, "ACTIVE")))
                .as("in long").isTrue();
    }

    /** Within range the results are the language's; an overflow the condition's and/or never reaches is none. */
    @Test
    void wholeNumbersWithinRangeAndGuardedOverflowsEvaluateAsBefore() {
        Map<String, Object> variables = customer(3, 2, 1, "ACTIVE");
        assertThat(SegmentExpressions.compile("r * 700000000 == 2100000000").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("-2147483647 - 1 < r").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("r < 4 or r * 1000000000 > 0").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("r > 4 and r * 1000000000 > 0").test(variables)).isFalse();
        assertThat(SegmentExpressions.compile("r > 4 and r * 1000000000 > 0 or f == 2").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("'yes' or r * 1000000000 > 0").test(variables))
                .as("text the language reads as true decides an or").isTrue();
        assertThat(SegmentExpressions.compile("'off' and r * 1000000000 > 0").test(variables)).isFalse();
        assertThat(SegmentExpressions.compile("netRevenue * 1000000000000000000L > 0").test(variables))
                .as("decimals do not overflow").isTrue();
        assertThat(SegmentExpressions.compile("status + 2147483647 == 'ACTIVE2147483647'").test(variables)).isTrue();
        assertThat(SegmentExpressions.compile("r / 2 == 1 and 7 % -1 == 0").test(variables)).isTrue();
        assertThatThrownBy(() -> SegmentExpressions.compile("r / (f - 2) > 0").test(variables))
                .as("a division by zero is still the language's error").hasMessageContaining("by zero");
    }

    @Test
    void aConditionNamesTheVariablesItReads() {
        assertThat(SegmentExpressions.compile("pAlive < 0.3 and (f >= 2 or predictedRevenue > 100)").variables())
                .containsExactlyInAnyOrder("pAlive", "f", "predictedRevenue");
        assertThat(SegmentExpressions.compile("1 == 1").variables()).isEmpty();
    }

    @Test
    void anAbsentVariableIsNullAndNeverAnError() {
        SegmentCondition likelyAlive = SegmentExpressions.compile("pAlive >= 0.5");
        assertThat(likelyAlive.test(customer(1, 1, 1, "ACTIVE"))).isFalse();
        Map<String, Object> withModel = customer(1, 1, 1, "ACTIVE");
        withModel.put("pAlive", 0.8);
        assertThat(likelyAlive.test(withModel)).isTrue();
    }

    @Test
    void aNonBooleanResultDoesNotMatch() {
        assertThatThrownBy(() -> SegmentExpressions.compile("r + 1").test(customer(1, 1, 1, "ACTIVE")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "T(java.lang.Runtime).getRuntime().exec('touch /tmp/pwned') != null",
            "T(java.lang.System).exit(1) == null",
            "new java.io.File('x').exists()",
            "new java.io.File('x') != null",
            "@bean != null",
            "@systemProperties['user.home'] != null",
            "&factoryBean != null",
            "#root != null",
            "#this != null",
            "#r >= 4",
            "status.length() > 3",
            "status.toUpperCase() == 'ACTIVE'",
            "'abc'.getClass() != null",
            "r = 5",
            "r++ > 1",
            "status matches '.*'",
            "r between {1, 5}",
            "r instanceof T(Integer)",
            "{1,2,3}.size() > 0",
            "{'a':1}['a'] == 1",
            "status[0] == 'A'",
            "r > 1 ? true : false",
            "status ?: 'x'",
            "r ^ 1000000 > 1",
            "status.class.name != null",
            "netRevenue.scale > 1",
            "customers.?[r > 1] != null",
            "orders.![#this] != null",
    })
    void refusesEverythingOutsideTheSandbox(String attack) {
        assertThatThrownBy(() -> SegmentExpressions.compile("segments[0].when", attack))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> {
                    assertThat(e.field()).isEqualTo("segments[0].when");
                    assertThat(e.reason()).isNotBlank();
                });
    }

    @Test
    void refusesUnknownVariablesNamingThem() {
        assertThatThrownBy(() -> SegmentExpressions.compile("revenue > 10"))
                .isInstanceOfSatisfying(InvalidRuleException.class,
                        e -> assertThat(e.reason()).contains("unknown variable 'revenue'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "r >=", "(r > 1", "r > > 1", "'unterminated"})
    void refusesBlankAndUnparsableConditions(String broken) {
        assertThatThrownBy(() -> SegmentExpressions.compile(broken)).isInstanceOf(InvalidRuleException.class);
    }

    @Test
    void refusesOverlongConditions() {
        assertThatThrownBy(() -> SegmentExpressions.compile("r > 1 and ".repeat(60) + "r > 1"))
                .isInstanceOf(InvalidRuleException.class);
    }

    @Test
    void aCompiledConditionIsSafeToShareAcrossThreads() throws Exception {
        SegmentCondition condition = SegmentExpressions.compile("r >= 4 and f >= 4 and m >= 4");
        Runnable evaluate = () -> {
            for (int i = 0; i < 10_000; i++) {
                int score = i % 6;
                boolean expected = score >= 4;
                if (condition.test(customer(score, score, score, "ACTIVE")) != expected) {
                    throw new AssertionError("wrong answer for score " + score);
                }
            }
        };
        Thread other = new Thread(evaluate);
        other.start();
        evaluate.run();
        other.join();
    }
}
