package io.crmhistory.api.customer.command;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;

/**
 * Records one interaction with the customer. Re-sending the same {@code contactId} is idempotent.
 * {@code legacyContactId}, set by the import only, is the id an import derived for the same line before those ids were
 * keyed (a plain SHA-256 of the line): a contact recorded under it is this one, so a file imported before the upgrade
 * and again after records its contacts once.
 */
public record RecordContact(@TargetAggregateIdentifier String customerId,
                            String contactId,
                            ContactChannel channel,
                            ContactDirection direction,
                            OffsetDateTime occurredAt,
                            String agent,
                            String subject,
                            String notes,
                            String outcome,
                            String legacyContactId) {

    /** A contact with no legacy id: every caller but the import. */
    public RecordContact(String customerId, String contactId, ContactChannel channel, ContactDirection direction,
                         OffsetDateTime occurredAt, String agent, String subject, String notes, String outcome) {
        this(customerId, contactId, channel, direction, occurredAt, agent, subject, notes, outcome, null);
    }
}
