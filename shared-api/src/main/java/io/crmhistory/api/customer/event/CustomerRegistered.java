package io.crmhistory.api.customer.event;

import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/** A customer became known to the business. Every customer starts as a LEAD. */
@Revision("1")
public record CustomerRegistered(String customerId,
                                 String name,
                                 String email,
                                 String phone,
                                 String country,
                                 String acquisitionChannel,
                                 OffsetDateTime occurredAt) implements CustomerEvent {
}
