package io.crmhistory.query.segment;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentLogicTest {

    static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    static final SegmentEvaluator V1 = new SegmentEvaluator(1, SegmentationRuleSet.DEFAULT, FX);
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static SegmentState fold(Events events) {
        SegmentState state = null;
        for (EventEnvelope envelope : events.envelopes()) {
            state = SegmentLogic.assess(SegmentLogic.apply(state, envelope), V1, NOW, envelope.occurredAt());
        }
        return state;
    }

    @ParameterizedTest(name = "{0} days since the last purchase scores r={1}")
    @CsvSource({"0,5", "30,5", "31,4", "90,4", "91,3", "180,3", "181,2", "365,2", "366,1", "4000,1"})
    void recencyScoresAtEveryThreshold(long days, int expected) {
        assertThat(SegmentEvaluator.recencyScore(days, SegmentationRuleSet.DEFAULT.recencyDays())).isEqualTo(expected);
    }

    @Test
    void noPurchaseScoresRecencyZero() {
        assertThat(SegmentEvaluator.recencyScore(null, SegmentationRuleSet.DEFAULT.recencyDays())).isZero();
    }

    @ParameterizedTest(name = "{0} orders score f={1}")
    @CsvSource({"0,0", "1,1", "2,2", "3,3", "4,3", "5,4", "9,4", "10,5", "100,5"})
    void frequencyScoresAtEveryThreshold(long orders, int expected) {
        assertThat(SegmentEvaluator.frequencyScore(orders, SegmentationRuleSet.DEFAULT.frequencyOrders()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} net scores m={1}")
    @CsvSource({"-5,0", "0,0", "0.01,1", "99.99,1", "100,2", "499.99,2", "500,3", "999.99,3", "1000,4", "4999.99,4",
            "5000,5"})
    void monetaryScoresAtEveryThreshold(String net, int expected) {
        assertThat(SegmentEvaluator.monetaryScore(new BigDecimal(net), SegmentationRuleSet.DEFAULT.monetary()))
                .isEqualTo(expected);
    }

    @Test
    void wholeDaysAreCountedFromTheLastPurchaseToNow() {
        SegmentState state = fold(Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "10", "EUR", "2025-12-01T00:00:01Z"));

        assertThat(state.assessment().daysSinceLastPurchase()).as("30 days and 23:59:59").isEqualTo(30);
        assertThat(state.assessment().recency()).isEqualTo(5);
    }

    @Test
    void aNewCustomerWithoutPurchasesIsAProspect() {
        SegmentState state = fold(Events.of("c").registered("A", null, "2025-12-01T00:00:00Z"));

        assertThat(state.segment()).isEqualTo("PROSPECT");
        assertThat(state.assessment().matchedRule()).isEqualTo("PROSPECT");
        assertThat(state.since()).isEqualTo(Instant.parse("2025-12-01T00:00:00Z"));
    }

    @Test
    void churnedWinsOverEveryLaterRule() {
        Events events = Events.of("c").registered("A", null, "2025-01-01T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            events.purchase("o-" + i, "1000", "EUR", "2025-12-2" + i % 9 + "T00:00:00Z");
        }
        assertThat(fold(events).segment()).as("would be a champion").isEqualTo("CHAMPIONS");

        events.status(CustomerStatus.ACTIVE, CustomerStatus.CHURNED, "2025-12-30T00:00:00Z");

        assertThat(fold(events).segment()).isEqualTo("CHURNED");
    }

    @Test
    void theFirstMatchingRuleWinsInRuleOrder() {
        // r=5, f=3, m=2 satisfies LOYAL (r>=3 and f>=3) and not CHAMPIONS (m<4); NEW needs f == 1.
        SegmentState loyal = fold(Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100", "EUR", "2025-12-01T00:00:00Z")
                .purchase("o-2", "100", "EUR", "2025-12-10T00:00:00Z")
                .purchase("o-3", "100", "EUR", "2025-12-20T00:00:00Z"));
        assertThat(loyal.segment()).isEqualTo("LOYAL");

        SegmentState fresh = fold(Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100", "EUR", "2025-12-20T00:00:00Z"));
        assertThat(fresh.segment()).isEqualTo("NEW");

        SegmentState atRisk = fold(Events.of("c").registered("A", null, "2023-01-01T00:00:00Z")
                .purchase("o-1", "10", "EUR", "2024-01-01T00:00:00Z")
                .purchase("o-2", "10", "EUR", "2024-02-01T00:00:00Z")
                .purchase("o-3", "10", "EUR", "2024-03-01T00:00:00Z"));
        assertThat(atRisk.segment()).isEqualTo("AT_RISK");

        SegmentState hibernating = fold(Events.of("c").registered("A", null, "2023-01-01T00:00:00Z")
                .purchase("o-1", "10", "EUR", "2024-01-01T00:00:00Z"));
        assertThat(hibernating.segment()).isEqualTo("HIBERNATING");
    }

    @Test
    void noRuleMatchingMeansTheFallback() {
        // r=5, f=2, m=4: the journey of the end-to-end test.
        SegmentState state = fold(Events.of("c").registered("A", null, "2025-06-01T09:00:00Z")
                .purchase("o-1", "1200.00", "EUR", "2025-11-20T12:00:00Z")
                .refund("o-1", "r-1", "200.00", "EUR", "2025-11-25T12:00:00Z")
                .purchase("o-2", "50.00", "EUR", "2025-12-20T12:00:00Z"));

        assertThat(state.segment()).isEqualTo("NEEDS_ATTENTION");
        assertThat(state.assessment().matchedRule()).isEqualTo(SegmentAssessment.FALLBACK);
        assertThat(state.assessment().netRevenue()).isEqualByComparingTo("1050.00");
    }

    @Test
    void recencyDriftsWithTimeWithoutAnyNewEvent() {
        SegmentState state = fold(Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100", "EUR", "2025-12-20T00:00:00Z"));
        assertThat(state.segment()).isEqualTo("NEW");

        SegmentState later = SegmentLogic.assess(state, V1, NOW.plus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(400)));

        assertThat(later.segment()).isEqualTo("HIBERNATING");
        assertThat(later.since()).isEqualTo(NOW.plus(Duration.ofDays(400)));
    }

    @Test
    void contactsInTheLast90DaysAreAnInput() {
        SegmentationRuleSet engaged = new SegmentationRuleSet(List.of(30, 90, 180, 365), List.of(2, 3, 5, 10),
                SegmentationRuleSet.DEFAULT.monetary(),
                List.of(new SegmentationRuleSet.SegmentRule("ENGAGED", "contacts90d >= 2")), "OTHER");
        SegmentEvaluator v2 = new SegmentEvaluator(2, engaged, FX);
        SegmentState state = null;
        for (EventEnvelope envelope : Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .contact("k-1", ContactChannel.PHONE, "2025-12-01T00:00:00Z")
                .contact("k-2", ContactChannel.PHONE, "2025-10-01T00:00:00Z").envelopes()) {
            state = SegmentLogic.apply(state, envelope);
        }

        assertThat(v2.evaluate(state, NOW).segment()).as("one contact is older than 90 days").isEqualTo("OTHER");
        assertThat(v2.evaluate(state, Instant.parse("2025-12-02T00:00:00Z")).segment()).isEqualTo("ENGAGED");
        assertThat(v2.segmentNames()).containsExactly("ENGAGED", "OTHER");
    }

    /** A contact counts while inside {@code (now - 90 days, now]}, and is dropped from the state the moment it is not. */
    @Test
    void anAssessmentKeepsExactlyTheContactsThatCanStillCount() {
        Instant windowStart = NOW.minus(SegmentEvaluator.CONTACT_WINDOW);
        SegmentState state = null;
        for (EventEnvelope envelope : Events.of("c").registered("A", null, "2025-01-01T00:00:00Z")
                .contact("k-at-start", ContactChannel.PHONE, windowStart.toString())
                .contact("k-just-inside", ContactChannel.PHONE, windowStart.plusSeconds(1).toString())
                .contact("k-later", ContactChannel.PHONE, NOW.plus(Duration.ofDays(3)).toString()).envelopes()) {
            state = SegmentLogic.apply(state, envelope);
        }

        SegmentState assessed = SegmentLogic.assess(state, V1, NOW, NOW);
        assertThat(assessed.assessment().contacts90d()).isEqualTo(1);
        assertThat(assessed.contacts()).containsExactly(windowStart.plusSeconds(1), NOW.plus(Duration.ofDays(3)));

        SegmentState second = SegmentLogic.assess(assessed, V1, NOW.plusSeconds(1), NOW);
        assertThat(second.assessment().contacts90d()).isZero();
        assertThat(second.contacts()).containsExactly(NOW.plus(Duration.ofDays(3)));
    }

    /**
     * One customer's figures (here a single order, so {@code orders - 1} is 0) must not fail the evaluation: thrown, it
     * failed the event for that customer in every read model that assesses segments, and stopped re-evaluation runs.
     */
    @Test
    void aConditionThatCannotBeEvaluatedForACustomerDoesNotHoldForItAndIsCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try {
            SegmentEvaluator v7 = new SegmentEvaluator(7, new SegmentationRuleSet(List.of(30, 90, 180, 365),
                    List.of(2, 3, 5, 10), SegmentationRuleSet.DEFAULT.monetary(),
                    List.of(new SegmentationRuleSet.SegmentRule("BIG_REPEAT", "netRevenue / (orders - 1) > 10"),
                            new SegmentationRuleSet.SegmentRule("BUYER", "orders >= 1")), "OTHER"), FX);
            SegmentState once = applied(Events.of("c-1").registered("A", null, "2025-01-01T00:00:00Z")
                    .purchase("o-1", "100", "EUR", "2025-12-01T00:00:00Z"));
            SegmentState twice = applied(Events.of("c-2").registered("B", null, "2025-01-01T00:00:00Z")
                    .purchase("o-1", "100", "EUR", "2025-11-01T00:00:00Z")
                    .purchase("o-2", "100", "EUR", "2025-12-01T00:00:00Z"));

            assertThat(v7.evaluate(once, NOW).segment()).isEqualTo("BUYER");
            assertThat(v7.evaluate(once, NOW).matchedRule()).isEqualTo("BUYER");
            assertThat(v7.evaluate(twice, NOW).segment()).isEqualTo("BIG_REPEAT");
            assertThat(meters.get(SegmentEvaluator.CONDITION_FAILURES).tags("ruleVersion", "7", "segment", "BIG_REPEAT")
                    .counter().count()).isEqualTo(2);
        } finally {
            Metrics.removeRegistry(meters);
        }
    }

    private static SegmentState applied(Events events) {
        SegmentState state = null;
        for (EventEnvelope envelope : events.envelopes()) {
            state = SegmentLogic.apply(state, envelope);
        }
        return state;
    }
}
