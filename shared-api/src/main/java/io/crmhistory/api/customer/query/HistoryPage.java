package io.crmhistory.api.customer.query;

import java.util.List;

/** One page of history items; {@code nextCursor} is {@code null} on the last page. */
public record HistoryPage(List<HistoryItem> items, String nextCursor) {
}
