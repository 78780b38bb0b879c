package io.crmhistory.api.rules;

import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/** A new version of the segmentation rules came into force at {@code occurredAt}. */
@Revision("1")
public record SegmentationRulesPublished(int version,
                                         SegmentationRuleSet ruleSet,
                                         String publishedBy,
                                         OffsetDateTime occurredAt) {
}
