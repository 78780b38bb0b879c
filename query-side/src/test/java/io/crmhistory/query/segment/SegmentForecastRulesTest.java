package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules that read the value forecast: which figures they see, and that unknown figures never match. */
class SegmentForecastRulesTest {

    static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final SegmentationRuleSet RULES = new SegmentationRuleSet(List.of(30, 90, 180, 365), List.of(2, 3, 5, 10),
            List.of(new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("5000")),
            List.of(new SegmentationRuleSet.SegmentRule("LIKELY_GONE", "pAlive < 0.3"),
                    new SegmentationRuleSet.SegmentRule("VALUABLE", "predictedRevenue >= 100"),
                    new SegmentationRuleSet.SegmentRule("BUYER", "f >= 1")),
            "PROSPECT");

    @Test
    void withoutAModelTheForecastRulesNeverHoldAndTheOthersStillDo() {
        SegmentEvaluator evaluator = new SegmentEvaluator(2, RULES, FX, SegmentForecaster.NONE);

        assertThat(evaluator.readsForecast()).isTrue();
        assertThat(evaluator.evaluate(buyer(), NOW).segment()).isEqualTo("BUYER");
        assertThat(evaluator.evaluate(prospect(), NOW).segment()).isEqualTo("PROSPECT");
    }

    @Test
    void theForecasterSeesThePurchasesAndItsFiguresDecide() {
        List<List<SegmentState.Purchase>> seen = new ArrayList<>();
        SegmentForecaster gone = (purchases, now) -> {
            seen.add(purchases);
            return new SegmentForecaster.Figures(0.1, new BigDecimal("500"));
        };
        SegmentForecaster valuable = (purchases, now) -> new SegmentForecaster.Figures(0.9, new BigDecimal("150"));
        SegmentForecaster modest = (purchases, now) -> new SegmentForecaster.Figures(0.9, new BigDecimal("20"));

        assertThat(new SegmentEvaluator(2, RULES, FX, gone).evaluate(buyer(), NOW).segment()).isEqualTo("LIKELY_GONE");
        assertThat(seen.get(0)).extracting(SegmentState.Purchase::amount)
                .containsExactly(new BigDecimal("40.00"), new BigDecimal("60.00"));
        assertThat(new SegmentEvaluator(2, RULES, FX, valuable).evaluate(buyer(), NOW).segment()).isEqualTo("VALUABLE");
        assertThat(new SegmentEvaluator(2, RULES, FX, modest).evaluate(buyer(), NOW).segment()).isEqualTo("BUYER");
    }

    @Test
    void aCustomerWithoutAPurchaseHasNoPAliveSoOnlyTheRevenueRuleCanMatch() {
        SegmentForecaster noPurchase = (purchases, now) -> new SegmentForecaster.Figures(null, BigDecimal.ZERO);

        assertThat(new SegmentEvaluator(2, RULES, FX, noPurchase).evaluate(prospect(), NOW).segment())
                .isEqualTo("PROSPECT");
    }

    @Test
    void theDefaultRulesReadNoForecast() {
        assertThat(new SegmentEvaluator(1, SegmentationRuleSet.DEFAULT, FX).readsForecast()).isFalse();
    }

    private static SegmentState buyer() {
        return fold(Events.of("b").registered("B", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "40.00", "EUR", "2025-02-01T00:00:00Z")
                .purchase("o-2", "60.00", "EUR", "2025-05-01T00:00:00Z"));
    }

    private static SegmentState prospect() {
        return fold(Events.of("p").registered("P", null, "2025-01-01T00:00:00Z"));
    }

    private static SegmentState fold(Events events) {
        SegmentState state = null;
        for (var envelope : events.envelopes()) {
            state = SegmentLogic.apply(state, envelope);
        }
        return state;
    }
}
