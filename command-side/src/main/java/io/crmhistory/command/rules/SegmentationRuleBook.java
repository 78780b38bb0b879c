package io.crmhistory.command.rules;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.rules.SegmentationRuleSetValidator;
import io.crmhistory.platform.time.StoredPrecision;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The one book of segmentation rules ({@link PublishSegmentationRules#RULE_BOOK_ID}). Version 1 is
 * {@link SegmentationRuleSet#DEFAULT} and exists without an event; each publication of a different
 * valid rule set is the next version. Publishing the rules already in force changes nothing and
 * answers their version, so a retried publication does not create a new version. Publications are
 * hash-chained like customer events ({@link EventHashChain}), so the history of rules is as
 * tamper-evident as the customers' histories it segments.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class SegmentationRuleBook {

    /** The version of the rules in force before anything is published. */
    static final int DEFAULT_VERSION = 1;

    @AggregateIdentifier
    private String ruleBookId;
    private int version = DEFAULT_VERSION;
    private SegmentationRuleSet current = SegmentationRuleSet.DEFAULT;
    private String lastHash;

    SegmentationRuleBook() {
        // for Axon and Jackson
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    int handle(PublishSegmentationRules command, @MetaDataValue(MetadataKeys.PRINCIPAL) String principal, Clock clock,
               EventHashChain chain) {
        if (!PublishSegmentationRules.RULE_BOOK_ID.equals(command.ruleBookId())) {
            throw new io.crmhistory.platform.rules.InvalidRuleException("ruleBookId",
                    "the only rule book is '" + PublishSegmentationRules.RULE_BOOK_ID + "'");
        }
        // The rules in force first: sent again, they answer their version even if published under older limits
        // (a rule set refused today may have been accepted before and is still in force).
        if (current.equals(command.ruleSet())) {
            return version;
        }
        SegmentationRuleSetValidator.validate(command.ruleSet());
        SegmentationRulesPublished event = new SegmentationRulesPublished(version + 1, command.ruleSet(), principal,
                StoredPrecision.now(clock));
        Long sequence = AggregateLifecycle.getVersion();
        String hash = chain.hashOf(lastHash, sequence == null ? 0 : sequence + 1, event);
        apply(event, lastHash == null ? MetaData.with(EventHashChain.HASH, hash)
                : MetaData.with(EventHashChain.HASH, hash).and(EventHashChain.PREVIOUS_HASH, lastHash));
        return version;
    }

    @EventSourcingHandler
    void on(SegmentationRulesPublished event, @MetaDataValue(EventHashChain.HASH) String hash) {
        lastHash = hash;
        ruleBookId = PublishSegmentationRules.RULE_BOOK_ID;
        version = event.version();
        current = event.ruleSet();
    }
}
