package io.crmhistory.api.customer.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;

/** Registers a new customer. {@code registeredAt} defaults to the moment it is recorded. */
public record RegisterCustomer(@TargetAggregateIdentifier String customerId,
                               String name,
                               String email,
                               String phone,
                               String country,
                               String acquisitionChannel,
                               OffsetDateTime registeredAt) {
}
