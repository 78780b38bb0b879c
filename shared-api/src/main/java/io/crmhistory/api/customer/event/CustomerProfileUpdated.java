package io.crmhistory.api.customer.event;

import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/** Profile fields changed; only the changed fields are set, the others are {@code null}. */
@Revision("1")
public record CustomerProfileUpdated(String customerId,
                                     String name,
                                     String email,
                                     String phone,
                                     String country,
                                     OffsetDateTime occurredAt) implements CustomerEvent {
}
