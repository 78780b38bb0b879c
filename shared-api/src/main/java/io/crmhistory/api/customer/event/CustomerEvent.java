package io.crmhistory.api.customer.event;

import java.time.OffsetDateTime;

/** Every fact about a customer names the customer and when it happened in the business (its business time). */
public interface CustomerEvent {

    String customerId();

    OffsetDateTime occurredAt();
}
