package io.crmhistory.api.customer.query;

/** How many customers each segment of the rule set in force holds, empty segments included. */
public record FindSegmentCounts() {
}
