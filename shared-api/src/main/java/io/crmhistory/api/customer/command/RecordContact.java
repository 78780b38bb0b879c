package io.crmhistory.api.customer.command;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;

/** Records one interaction with the customer. Re-sending the same {@code contactId} is idempotent. */
public record RecordContact(@TargetAggregateIdentifier String customerId,
                            String contactId,
                            ContactChannel channel,
                            ContactDirection direction,
                            OffsetDateTime occurredAt,
                            String agent,
                            String subject,
                            String notes,
                            String outcome) {
}
