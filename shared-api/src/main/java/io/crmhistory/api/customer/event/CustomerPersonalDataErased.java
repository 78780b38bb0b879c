package io.crmhistory.api.customer.event;

import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/**
 * The customer's personal data was erased: from this event on, their personal fields in earlier
 * events can no longer be revealed, and no new personal data is recorded for them. Carries no
 * personal data itself. {@code occurredAt} is when the erasure was recorded.
 */
@Revision("1")
public record CustomerPersonalDataErased(String customerId,
                                         String reason,
                                         OffsetDateTime occurredAt) implements CustomerEvent {
}
