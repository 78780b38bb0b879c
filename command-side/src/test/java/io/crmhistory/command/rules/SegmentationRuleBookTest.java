package io.crmhistory.command.rules;

import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.rules.InvalidRuleException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

class SegmentationRuleBookTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final OffsetDateTime NOW = OffsetDateTime.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    static final Map<String, String> BY_OPS = Map.of(MetadataKeys.PRINCIPAL, "ops");

    private FixtureConfiguration<SegmentationRuleBook> fixture;

    static SegmentationRuleSet onlyChampions() {
        SegmentationRuleSet d = SegmentationRuleSet.DEFAULT;
        return new SegmentationRuleSet(d.recencyDays(), d.frequencyOrders(), d.monetary(),
                List.of(new SegmentationRuleSet.SegmentRule("CHAMPIONS", "r >= 4 and f >= 4 and m >= 4")), "OTHERS");
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SegmentationRuleBook.class);
        fixture.registerInjectableResource(CLOCK);
        fixture.registerInjectableResource(new EventHashChain(JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build()));
    }

    @Test
    void theFirstPublicationIsVersionTwoBecauseTheDefaultIsVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new PublishSegmentationRules(onlyChampions()), BY_OPS)
                .expectEvents(new SegmentationRulesPublished(2, onlyChampions(), "ops", NOW))
                .expectResultMessagePayload(2);
    }

    @Test
    void eachLaterPublicationIsTheNextVersion() {
        fixture.given(new SegmentationRulesPublished(2, onlyChampions(), "ops", NOW))
                .when(new PublishSegmentationRules(SegmentationRuleSet.DEFAULT), BY_OPS)
                .expectEvents(new SegmentationRulesPublished(3, SegmentationRuleSet.DEFAULT, "ops", NOW))
                .expectResultMessagePayload(3);
    }

    @Test
    void publishingTheRulesInForceChangesNothing() {
        fixture.given(new SegmentationRulesPublished(2, onlyChampions(), "ops", NOW))
                .when(new PublishSegmentationRules(onlyChampions()), BY_OPS)
                .expectNoEvents()
                .expectResultMessagePayload(2);
    }

    /** Rules accepted under older limits (here a name with a line separator) stay in force and answer when sent again. */
    @Test
    void publishingTheRulesInForceAcceptedUnderOlderLimitsChangesNothing() {
        SegmentationRuleSet d = SegmentationRuleSet.DEFAULT;
        SegmentationRuleSet older = new SegmentationRuleSet(d.recencyDays(), d.frequencyOrders(), d.monetary(),
                List.of(new SegmentationRuleSet.SegmentRule("VIP\u2028Gold", "f > 1")), "Y");
        fixture.given(new SegmentationRulesPublished(2, older, "ops", NOW))
                .when(new PublishSegmentationRules(older), BY_OPS)
                .expectNoEvents()
                .expectResultMessagePayload(2);
    }

    @Test
    void anInvalidRuleSetIsRefusedNamingTheField() {
        SegmentationRuleSet d = SegmentationRuleSet.DEFAULT;
        fixture.givenNoPriorActivity()
                .when(new PublishSegmentationRules(new SegmentationRuleSet(d.recencyDays(), d.frequencyOrders(), d.monetary(),
                        List.of(new SegmentationRuleSet.SegmentRule("X", "new java.io.File('x').exists()")), "Y")), BY_OPS)
                .expectNoEvents()
                .expectException(InvalidRuleException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.startsWith("segments[0].when: "));
    }
}
