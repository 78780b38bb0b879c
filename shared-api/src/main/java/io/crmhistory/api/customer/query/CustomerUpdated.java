package io.crmhistory.api.customer.query;

/**
 * Update of a {@link FindCustomer} subscription: read model {@code readModel} ({@code directory},
 * {@code value}, {@code segment} or {@code history}) now reflects the customer up to {@code version}.
 */
public record CustomerUpdated(String customerId, String readModel, long version) {
}
