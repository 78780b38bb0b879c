package io.crmhistory.api.customer.event;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.money.Money;
import org.axonframework.serialization.Revision;

import java.time.OffsetDateTime;
import java.util.List;

/** The customer bought something (possibly for free). */
@Revision("1")
public record PurchaseRecorded(String customerId,
                               String orderId,
                               Money amount,
                               List<PurchaseLine> lines,
                               ContactChannel channel,
                               OffsetDateTime occurredAt) implements CustomerEvent {

    public PurchaseRecorded {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
