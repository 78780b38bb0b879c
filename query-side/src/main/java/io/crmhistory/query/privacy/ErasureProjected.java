package io.crmhistory.query.privacy;

/**
 * A Spring application event: this process's history projection handled (or scrubbed ahead of) the erasure of a
 * customer's personal data. Whatever holds revealed copies of that customer's fields in memory drops them now rather
 * than when it next happens to look (the as-of streams kept for auditors, {@code CustomerTimelines}).
 */
public record ErasureProjected(String customerId) {
}
