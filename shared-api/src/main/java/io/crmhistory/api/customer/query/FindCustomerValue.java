package io.crmhistory.api.customer.query;

/** The customer's running value (SPEC section 5, "Value"), computed at the moment of the query. */
public record FindCustomerValue(String customerId, Long minVersion) {
}
