package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.SegmentationRuleVersions.RuleVersion;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.Events;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

/** The rule book's versions, read once each: a question asks the store only for publications newer than those known. */
class RuleVersionsTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final EventStore reads = spy(store);
    private final RuleVersions versions = new RuleVersions(reads, AsOfReplayTest.FX);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void versionsPublishedSinceTheLastQuestionAreReadAndNoOthers() {
        assertThat(versions.all()).containsExactly(RuleVersions.DEFAULT);
        publish(0, 2, "2025-03-01T00:00:00Z");

        List<RuleVersion> two = versions.all();
        publish(1, 3, "2025-04-01T00:00:00Z");
        List<RuleVersion> three = versions.all();

        assertThat(two).extracting(RuleVersion::version).containsExactly(1, 2);
        assertThat(three).extracting(RuleVersion::version).containsExactly(1, 2, 3);
        assertThat(three.get(1)).isSameAs(two.get(1));
        assertThat(versions.all()).isSameAs(three);
        verify(reads).readEvents(PublishSegmentationRules.RULE_BOOK_ID, 1);
        verify(reads).readEvents(PublishSegmentationRules.RULE_BOOK_ID, 2);
        assertThat(versions.inForceAt(Instant.parse("2025-03-15T00:00:00Z"), Axis.OCCURRED))
                .isSameAs(versions.inForceAt(Instant.parse("2025-03-31T00:00:00Z"), Axis.OCCURRED));
        assertThat(versions.listing().currentVersion()).isEqualTo(3);
    }

    private void publish(long sequence, int version, String at) {
        SegmentationRulesPublished published = new SegmentationRulesPublished(version, SegmentationRuleSet.DEFAULT,
                "olga", Events.at(at));
        store.publish(new GenericDomainEventMessage<>("SegmentationRuleBook", PublishSegmentationRules.RULE_BOOK_ID,
                sequence, published, Map.of(), UUID.randomUUID().toString(), Instant.parse(at)));
    }
}
