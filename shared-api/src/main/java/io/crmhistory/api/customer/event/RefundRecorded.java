package io.crmhistory.api.customer.event;

import io.crmhistory.api.money.Money;
import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/** Money was given back on an order. */
@Revision("1")
public record RefundRecorded(String customerId,
                             String orderId,
                             String refundId,
                             Money amount,
                             String reason,
                             OffsetDateTime occurredAt) implements CustomerEvent {
}
