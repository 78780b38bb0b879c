package io.crmhistory.api.customer.query;

/**
 * One customer as the directory knows them: profile, status, current segment and value summary.
 *
 * @param minVersion when set, the answer waits (bounded) until the read model reflects at least this
 *                   version of the customer (the {@code version} a command answered); {@code null} reads at once
 */
public record FindCustomer(String customerId, Long minVersion) {
}
