package io.crmhistory.api.customer.query;

import java.util.List;

/** Every segment of the rule set in force (in rule order, the fallback last) with its member count. */
public record SegmentCounts(int ruleVersion, List<SegmentCount> segments) {

    public record SegmentCount(String name, long count) {
    }
}
