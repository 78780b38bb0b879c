package io.crmhistory.api.customer.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Erase the customer's personal data (right to erasure): their data key is destroyed, so every
 * personal field ever recorded for them becomes unreadable. {@code reason} is kept in the clear
 * for the audit trail: it must not itself contain personal data.
 */
public record ErasePersonalData(@TargetAggregateIdentifier String customerId, String reason) {
}
