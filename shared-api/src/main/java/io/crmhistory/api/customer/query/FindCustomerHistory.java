package io.crmhistory.api.customer.query;

import java.time.Instant;
import java.util.Set;

/**
 * A page of the customer's interaction history, ordered by business time ({@code occurredAt}).
 *
 * @param types      item types to keep ({@link HistoryItemType} names); empty keeps all
 * @param channels   contact/purchase channels to keep; empty keeps all
 * @param from       inclusive lower bound on {@code occurredAt}, or {@code null}
 * @param to         exclusive upper bound on {@code occurredAt}, or {@code null}
 * @param descending newest first when {@code true}
 * @param cursor     the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record FindCustomerHistory(String customerId,
                                  Set<HistoryItemType> types,
                                  Set<String> channels,
                                  Instant from,
                                  Instant to,
                                  boolean descending,
                                  int limit,
                                  String cursor,
                                  Long minVersion) {

    public FindCustomerHistory {
        types = types == null ? Set.of() : Set.copyOf(types);
        channels = channels == null ? Set.of() : Set.copyOf(channels);
    }
}
