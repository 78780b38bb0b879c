package io.crmhistory.api.customer.event;

import io.crmhistory.api.customer.CustomerStatus;
import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;

/**
 * The customer's lifecycle status moved. {@code triggeredByOrderId} is set when the move was the
 * automatic consequence of a purchase rather than a manual decision.
 */
@Revision("1")
public record CustomerStatusChanged(String customerId,
                                    CustomerStatus from,
                                    CustomerStatus to,
                                    String reason,
                                    String triggeredByOrderId,
                                    OffsetDateTime occurredAt) implements CustomerEvent {
}
