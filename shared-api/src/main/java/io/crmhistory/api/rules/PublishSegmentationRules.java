package io.crmhistory.api.rules;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Publishes {@code ruleSet} as the next version. There is one rule book, whose id is {@link #RULE_BOOK_ID}. */
public record PublishSegmentationRules(@TargetAggregateIdentifier String ruleBookId, SegmentationRuleSet ruleSet) {

    public static final String RULE_BOOK_ID = "segmentation-rules";

    public PublishSegmentationRules(SegmentationRuleSet ruleSet) {
        this(RULE_BOOK_ID, ruleSet);
    }
}
