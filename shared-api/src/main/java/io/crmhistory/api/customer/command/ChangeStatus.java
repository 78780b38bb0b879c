package io.crmhistory.api.customer.command;

import io.crmhistory.api.customer.CustomerStatus;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;

/** A manual lifecycle move; only the transitions of {@link CustomerStatus#allowedNext()} are accepted. */
public record ChangeStatus(@TargetAggregateIdentifier String customerId,
                           CustomerStatus status,
                           String reason,
                           OffsetDateTime effectiveAt) {
}
