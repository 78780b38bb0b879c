package io.crmhistory.api.customer.query;

import io.crmhistory.api.customer.CustomerStatus;

/**
 * A page of customers.
 *
 * @param segment only members of this segment, or {@code null}
 * @param status  only customers in this status, or {@code null}
 * @param q       matches name or email, case-insensitively, or {@code null}
 * @param sort    {@code netRevenue}, {@code lastPurchaseAt}, {@code registeredAt} or {@code name}, with a
 *                {@code -} prefix for descending
 * @param cursor  the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record ListCustomers(String segment, CustomerStatus status, String q, String sort, int limit, String cursor) {
}
