package io.crmhistory.api.customer.query;

import io.crmhistory.api.rules.SegmentationRuleSet;

import java.time.Instant;
import java.util.List;

/**
 * The segmentation rules in force ({@code currentVersion}, {@code current}) and every version ever in
 * force, oldest first, with who published it and when. Version 1 is the built-in default: published by
 * {@value #SYSTEM}, with no publication or recording time.
 */
public record SegmentationRuleVersions(int currentVersion, SegmentationRuleSet current, List<RuleVersion> versions) {

    /** Who "published" the default rules, which exist without a publication. */
    public static final String SYSTEM = "system";

    /**
     * @param publishedAt business time of the publication (when it came into force)
     * @param recordedAt  when the publication was recorded in the event store
     */
    public record RuleVersion(int version, SegmentationRuleSet ruleSet, String publishedBy, Instant publishedAt,
                              Instant recordedAt) {
    }
}
