package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.SegmentationRuleVersions;
import io.crmhistory.api.customer.query.SegmentationRuleVersions.RuleVersion;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.segment.SegmentEvaluator;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every version of the segmentation rules, read from the rule book's own stream in the event store (the
 * audited record of which rules were in force when), version 1 being the built-in default that exists
 * without a publication. Compiled rule sets are kept per version: a version never changes.
 */
@Component
class RuleVersions {

    static final RuleVersion DEFAULT = new RuleVersion(1, SegmentationRuleSet.DEFAULT, SegmentationRuleVersions.SYSTEM,
            null, null);

    private final EventStore eventStore;
    private final FxRates fx;
    private final Map<Integer, SegmentEvaluator> compiled = new ConcurrentHashMap<>();
    /** Read without a lock (a question waits for no other's read), replaced under one. */
    private volatile Known known = new Known(List.of(DEFAULT), 0);

    RuleVersions(EventStore eventStore, FxRates fx) {
        this.eventStore = eventStore;
        this.fx = fx;
    }

    /** Every version, oldest first, up to the last stored. */
    List<RuleVersion> all() {
        Known before = known;
        DomainEventStream stream = eventStore.readEvents(PublishSegmentationRules.RULE_BOOK_ID, before.nextSequence());
        if (!stream.hasNext()) {
            return before.versions();
        }
        List<RuleVersion> versions = new ArrayList<>(before.versions());
        long nextSequence = before.nextSequence();
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            nextSequence = message.getSequenceNumber() + 1;
            if (message.getPayload() instanceof SegmentationRulesPublished published) {
                versions.add(new RuleVersion(published.version(), published.ruleSet(), published.publishedBy(),
                        published.occurredAt().toInstant(), message.getTimestamp()));
            }
        }
        Known after = new Known(List.copyOf(versions), nextSequence);
        synchronized (this) {
            // Two questions may have read the same publications: the one that read further is kept.
            if (known.nextSequence() < after.nextSequence()) {
                known = after;
            }
        }
        return after.versions();
    }

    SegmentationRuleVersions listing() {
        List<RuleVersion> versions = all();
        RuleVersion current = versions.get(versions.size() - 1);
        return new SegmentationRuleVersions(current.version(), current.ruleSet(), versions);
    }

    /**
     * The rules in force at {@code asOf}: the last version published (on the recorded axis: recorded; on
     * the occurred axis: in force by its business time) at or before it.
     */
    SegmentEvaluator inForceAt(Instant asOf, Axis axis) {
        RuleVersion inForce = DEFAULT;
        for (RuleVersion version : all()) {
            Instant at = axis == Axis.RECORDED ? version.recordedAt() : version.publishedAt();
            if (at == null || !at.isAfter(asOf)) {
                inForce = version;
            }
        }
        RuleVersion chosen = inForce;
        return compiled.computeIfAbsent(chosen.version(),
                version -> new SegmentEvaluator(version, chosen.ruleSet(), fx));
    }

    /** The versions read so far, and the sequence number of the rule book's next event. */
    private record Known(List<RuleVersion> versions, long nextSequence) {
    }
}
