package io.crmhistory.query.segment;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.query.projection.SequencedState;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the segment read model keeps of one customer: the inputs of the rules (status, orders, net
 * revenue per currency, last purchase, contact times, and every purchase for the forecast figures) and the
 * latest assessment, with the moment the customer entered that segment ({@code since}).
 */
public record SegmentState(String id,
                           long lastSequence,
                           CustomerStatus status,
                           long orders,
                           Map<String, BigDecimal> netPerCurrency,
                           Instant lastPurchaseAt,
                           List<Instant> contacts,
                           List<Purchase> purchases,
                           SegmentAssessment assessment,
                           Instant since) implements SequencedState {

    /** One purchase in its own currency, when it happened. */
    public record Purchase(Instant at, String currency, BigDecimal amount) {
    }

    public SegmentState {
        netPerCurrency = Map.copyOf(netPerCurrency);
        contacts = List.copyOf(contacts);
        // Documents written before purchases were kept have none: a rebuild fills them in.
        purchases = purchases == null ? List.of() : List.copyOf(purchases);
    }

    public static SegmentState empty(String customerId) {
        return new SegmentState(customerId, -1, CustomerStatus.LEAD, 0, Map.of(), null, List.of(), List.of(), null, null);
    }

    public String segment() {
        return assessment == null ? null : assessment.segment();
    }

    SegmentState withAssessment(SegmentAssessment newAssessment, Instant newSince) {
        return new SegmentState(id, lastSequence, status, orders, netPerCurrency, lastPurchaseAt, contacts, purchases,
                newAssessment, newSince);
    }

    SegmentState withContacts(List<Instant> newContacts) {
        return new SegmentState(id, lastSequence, status, orders, netPerCurrency, lastPurchaseAt, newContacts, purchases,
                assessment, since);
    }
}
