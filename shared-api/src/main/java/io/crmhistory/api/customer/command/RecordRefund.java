package io.crmhistory.api.customer.command;

import io.crmhistory.api.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;

/** Gives back part or all of an order's amount; never more than was paid in total. */
public record RecordRefund(@TargetAggregateIdentifier String customerId,
                           String orderId,
                           String refundId,
                           Money amount,
                           OffsetDateTime occurredAt,
                           String reason) {
}
