package io.crmhistory.api.customer.command;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records an order. Re-sending the same {@code orderId} with the same content is idempotent. */
public record RecordPurchase(@TargetAggregateIdentifier String customerId,
                             String orderId,
                             OffsetDateTime occurredAt,
                             Money amount,
                             List<PurchaseLine> lines,
                             ContactChannel channel) {

    public RecordPurchase {
        // not List.copyOf: a null line must reach the validator, which names it (lines[2]: is required)
        lines = lines == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(lines));
    }
}
