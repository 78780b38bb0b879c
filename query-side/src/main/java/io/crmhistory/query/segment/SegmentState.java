package io.crmhistory.query.segment;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.query.projection.SequencedState;
import org.bson.codecs.pojo.annotations.BsonId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the segment read model keeps of one customer: the inputs of the rules (status, orders, net
 * revenue per currency, last purchase, contact times, and every purchase for the forecast figures) and the
 * latest assessment, with the moment the customer entered that segment ({@code since}).
 * <p>
 * {@code logged} says whether the segment change log ends in this state's segment: true for a state the live
 * version wrote (it logs every move it makes), false for one a rebuild wrote (a version being rebuilt logs nothing);
 * a rebuilt version that went live compares its unlogged states with the log and records the difference
 * ({@link SegmentChange#REBUILD}). States written before the flag was kept have none and count as logged.
 */
public record SegmentState(@BsonId String id,
                           long lastSequence,
                           CustomerStatus status,
                           long orders,
                           Map<String, BigDecimal> netPerCurrency,
                           Instant lastPurchaseAt,
                           List<Instant> contacts,
                           List<Purchase> purchases,
                           SegmentAssessment assessment,
                           Instant since,
                           Boolean logged) implements SequencedState {

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
        return new SegmentState(customerId, -1, CustomerStatus.LEAD, 0, Map.of(), null, List.of(), List.of(), null, null, true);
    }

    public String segment() {
        return assessment == null ? null : assessment.segment();
    }

    /** Whether the segment change log ends in this state's segment (see the class comment). */
    public boolean isLogged() {
        return logged == null || logged;
    }

    SegmentState withAssessment(SegmentAssessment newAssessment, Instant newSince) {
        return new SegmentState(id, lastSequence, status, orders, netPerCurrency, lastPurchaseAt, contacts, purchases,
                newAssessment, newSince, logged);
    }

    SegmentState withContacts(List<Instant> newContacts) {
        return new SegmentState(id, lastSequence, status, orders, netPerCurrency, lastPurchaseAt, newContacts, purchases,
                assessment, since, logged);
    }

    SegmentState withLogged(boolean newLogged) {
        return newLogged == isLogged() && logged != null ? this : new SegmentState(id, lastSequence, status, orders,
                netPerCurrency, lastPurchaseAt, contacts, purchases, assessment, since, newLogged);
    }
}
