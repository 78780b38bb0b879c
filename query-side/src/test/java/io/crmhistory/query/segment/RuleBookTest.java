package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.InProcessMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two query-side instances on one MongoDB: only the one whose processor handles a publication stores it. */
class RuleBookTest {

    private static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    private static final SegmentationRuleSet VIP = new SegmentationRuleSet(List.of(30, 90, 180, 365),
            List.of(2, 3, 5, 10), SegmentationRuleSet.DEFAULT.monetary(),
            List.of(new SegmentationRuleSet.SegmentRule("VIP", "orders >= 10")), "OTHER");

    private final InProcessMongo mongo = new InProcessMongo();

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void anotherInstanceSeesRulesPublishedByTheProcessingOne() {
        RuleBook processing = book(RuleBook.REFRESH_INTERVAL);
        RuleBook standby = book(Duration.ZERO);
        RuleBook notLookingAgainYet = book(Duration.ofHours(1));

        assertThat(processing.publish(new SegmentationRulesPublished(2, VIP, "ops", OffsetDateTime.parse("2025-06-01T00:00Z"))))
                .isTrue();

        assertThat(standby.current().version()).isEqualTo(2);
        assertThat(standby.current().segmentNames()).contains("VIP");
        assertThat(notLookingAgainYet.current().version()).as("read again only after the interval").isEqualTo(1);
        assertThat(book(Duration.ofHours(1)).current().version()).as("read at the start").isEqualTo(2);
    }

    @Test
    void aRunFinishesUnderTheRulesItBeganWith() {
        RuleBook processing = book(RuleBook.REFRESH_INTERVAL);
        processing.publish(new SegmentationRulesPublished(2, VIP, "ops", OffsetDateTime.parse("2025-06-01T00:00Z")));

        assertThat(processing.evaluator(1).segmentNames()).doesNotContain("VIP");
        assertThat(processing.evaluator(2).segmentNames()).contains("VIP");
        assertThatThrownBy(() -> processing.evaluator(3)).isInstanceOf(IllegalStateException.class);
    }

    private RuleBook book(Duration refreshInterval) {
        return new RuleBook(mongo.template(), "segment_rules", FX, SegmentForecaster.NONE, refreshInterval);
    }
}
