package io.crmhistory.api.customer.query;

import java.time.Instant;

/**
 * A customer as they were at {@code asOf}, rebuilt from their events with the read models' own state
 * logic. {@code axis} says which events count: {@code recorded}, those the system had recorded by
 * {@code asOf} (what it knew then); {@code occurred}, those whose business time is at or before
 * {@code asOf}, as known now. {@code customer}, {@code value} and {@code segment} have the shapes of
 * {@code GET /api/customers/{id}}, {@code .../value} and {@code .../segment}; {@code eventsApplied} is how
 * many of the customer's events were folded in.
 */
public record CustomerStateAsOf(String customerId,
                                Instant asOf,
                                String axis,
                                long eventsApplied,
                                CustomerView customer,
                                CustomerValueView value,
                                CustomerSegmentView segment) {
}
