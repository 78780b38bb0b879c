package io.crmhistory.api.customer.event;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/** An interaction with the customer took place on some channel. */
@Revision("1")
public record ContactRecorded(String customerId,
                              String contactId,
                              ContactChannel channel,
                              ContactDirection direction,
                              String agent,
                              String subject,
                              String notes,
                              String outcome,
                              OffsetDateTime occurredAt) implements CustomerEvent {
}
