package io.crmhistory.api.customer.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Changes profile fields; a {@code null} field is left as it is. */
public record UpdateProfile(@TargetAggregateIdentifier String customerId,
                            String name,
                            String email,
                            String phone,
                            String country) {
}
