package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.query.CustomerStateAsOf;
import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.query.directory.DirectoryLogic;
import io.crmhistory.query.directory.DirectoryState;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.segment.SegmentEvaluator;
import io.crmhistory.query.segment.SegmentLogic;
import io.crmhistory.query.segment.SegmentState;
import io.crmhistory.query.value.ValueLogic;
import io.crmhistory.query.value.ValueState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A customer as they were at an instant, folded from their events through the very state logic the live
 * projections use ({@link DirectoryLogic}, {@link ValueLogic}, {@link SegmentLogic}), so an as-of answer
 * and a live answer can only differ by the events and the instant they were given. Pure: the events, the
 * rules in force and the instant decide the answer.
 */
final class AsOfReplay {

    /** Business-time order; the registration first, as every other event presupposes the customer. */
    static final Comparator<EventEnvelope> OCCURRED_ORDER = Comparator
            .comparing((EventEnvelope envelope) -> !(envelope.event() instanceof CustomerRegistered))
            .thenComparing(EventEnvelope::occurredAt)
            .thenComparingLong(EventEnvelope::sequence);

    private final DirectoryLogic directoryLogic;
    private final FxRates fx;

    AsOfReplay(FxRates fx) {
        this.fx = fx;
        this.directoryLogic = new DirectoryLogic(fx);
    }

    /**
     * The events in business-time order, without the status changes a later-recorded one effective earlier
     * overrides. A status change is a decision: the newest one is in force, as the live projections (which apply
     * them in recording order) show. Sorted by business time, a change recorded in June as of June would otherwise
     * come after one recorded in July as of March (a purchase imported late re-activating the customer) and undo
     * it, giving a status the live view never had, by way of a transition the lifecycle does not allow.
     */
    static List<EventEnvelope> inOccurredOrder(List<EventEnvelope> events) {
        // By position, not in a set of envelopes: hashing 10,000 event records doubled a long history's answer.
        boolean[] overridden = new boolean[events.size()];
        Instant earliestLater = Instant.MAX;
        for (int i = events.size() - 1; i >= 0; i--) {
            EventEnvelope envelope = events.get(i);
            if (envelope.event() instanceof CustomerStatusChanged) {
                overridden[i] = earliestLater.isBefore(envelope.occurredAt());
                earliestLater = overridden[i] ? earliestLater : envelope.occurredAt();
            }
        }
        List<EventEnvelope> kept = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            if (!overridden[i]) {
                kept.add(events.get(i));
            }
        }
        kept.sort(OCCURRED_ORDER);
        return kept;
    }

    /**
     * @param events the customer's events the axis includes, in sequence order
     * @param rules  the segmentation rules in force at {@code asOf}
     * @return the state, or {@code null} when the customer was not registered by then
     */
    CustomerStateAsOf replay(String customerId, List<EventEnvelope> events, Axis axis, Instant asOf,
                             SegmentEvaluator rules) {
        List<EventEnvelope> ordered = axis == Axis.OCCURRED ? inOccurredOrder(events) : events;
        if (ordered.isEmpty() || !(ordered.get(0).event() instanceof CustomerRegistered)) {
            return null;
        }
        DirectoryState directory = null;
        ValueState value = null;
        SegmentState segment = null;
        for (EventEnvelope envelope : ordered) {
            directory = directoryLogic.apply(directory, envelope);
            value = ValueLogic.apply(value, envelope);
            // As the live projection does after every event, at the instant asked about: the segment's
            // "since" is the business time of the event that moved the customer into it.
            segment = SegmentLogic.applyAndAssessAt(segment, envelope, rules, asOf);
        }
        CustomerView.SegmentRef segmentRef = new CustomerView.SegmentRef(segment.segment(),
                segment.assessment().ruleVersion());
        return new CustomerStateAsOf(customerId, asOf, axis.label(), ordered.size(),
                // The forecast is not part of what the system knew: it depends on the model fitted since.
                DirectoryLogic.view(directory, segmentRef, null, fx), ValueLogic.view(value, fx, null, asOf),
                SegmentLogic.view(segment, fx));
    }
}
