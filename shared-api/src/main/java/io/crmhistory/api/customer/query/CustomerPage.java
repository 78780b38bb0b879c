package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** One page of customers; {@code nextCursor} is {@code null} on the last page. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerPage(List<CustomerView> items, String nextCursor) {
}
