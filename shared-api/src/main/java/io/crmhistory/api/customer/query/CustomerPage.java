package io.crmhistory.api.customer.query;

import java.util.List;

/** One page of customers; {@code nextCursor} is {@code null} on the last page. */
public record CustomerPage(List<CustomerView> items, String nextCursor) {
}
