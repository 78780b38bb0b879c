package io.crmhistory.api.customer.query;

/** The customer's current segment with the scores, inputs and rule that put them there. */
public record FindCustomerSegment(String customerId, Long minVersion) {
}
