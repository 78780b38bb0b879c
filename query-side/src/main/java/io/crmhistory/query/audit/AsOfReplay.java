package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.query.CustomerStateAsOf;
import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.query.directory.DirectoryLogic;
import io.crmhistory.query.directory.DirectoryState;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.segment.SegmentEvaluator;
import io.crmhistory.query.segment.SegmentLogic;
import io.crmhistory.query.segment.SegmentState;
import io.crmhistory.query.value.ValueLogic;
import io.crmhistory.query.value.ValueState;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A customer as they were at an instant, folded from their events through the very state logic the live
 * projections use ({@link DirectoryLogic}, {@link ValueLogic}, {@link SegmentLogic}), so an as-of answer
 * and a live answer can only differ by the events and the instant they were given. Pure: the events, the
 * rules in force and the instant decide the answer.
 */
final class AsOfReplay {

    /**
     * The personal fields the replay reads: the directory's (the profile); value and segment read none, and a
     * contact's words are in no state.
     */
    static final PersonalDataUse USE = PersonalDataUse.PROFILE;

    private final DirectoryLogic directoryLogic;
    private final FxRates fx;

    AsOfReplay(FxRates fx) {
        this.fx = fx;
        this.directoryLogic = new DirectoryLogic(fx);
    }

    /**
     * The events in business-time order, without the status changes a later-recorded one effective earlier
     * overrides ({@link #occurredOrder}).
     */
    static List<EventEnvelope> inOccurredOrder(List<EventEnvelope> events) {
        int[] order = occurredOrder(events.size(), i -> events.get(i).occurredAt(),
                i -> events.get(i).event() instanceof CustomerStatusChanged,
                i -> events.get(i).event() instanceof CustomerRegistered);
        List<EventEnvelope> kept = new ArrayList<>(order.length);
        for (int position : order) {
            kept.add(events.get(position));
        }
        return kept;
    }

    /**
     * The positions (in sequence order) of the events to fold on the occurred axis, in business-time order with the
     * registration first, without the status changes a later-recorded one effective earlier overrides. A status
     * change is a decision: the newest one is in force, as the live projections (which apply them in recording
     * order) show. Sorted by business time, a change recorded in June as of June would otherwise come after one
     * recorded in July as of March (a purchase imported late re-activating the customer) and undo it, giving a status
     * the live view never had, by way of a transition the lifecycle does not allow. Only the events' times and kinds
     * are asked for, so a stream too long to hold can be ordered from them alone.
     */
    static int[] occurredOrder(int size, IntFunction<Instant> occurredAt, IntPredicate statusChange,
                               IntPredicate registration) {
        // By position, not in a set of envelopes: hashing 10,000 event records doubled a long history's answer.
        boolean[] overridden = new boolean[size];
        Instant earliestLater = Instant.MAX;
        int kept = size;
        for (int i = size - 1; i >= 0; i--) {
            if (statusChange.test(i)) {
                Instant at = occurredAt.apply(i);
                overridden[i] = earliestLater.isBefore(at);
                earliestLater = overridden[i] ? earliestLater : at;
                kept -= overridden[i] ? 1 : 0;
            }
        }
        Integer[] positions = new Integer[kept];
        for (int i = 0, k = 0; i < size; i++) {
            if (!overridden[i]) {
                positions[k++] = i;
            }
        }
        Arrays.sort(positions, Comparator.comparing((Integer i) -> !registration.test(i))
                .thenComparing(occurredAt::apply)
                .thenComparingInt(i -> i));
        return Arrays.stream(positions).mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param events the customer's events the axis includes, in sequence order
     * @param rules  the segmentation rules in force at {@code asOf}
     * @return the state, or {@code null} when the customer was not registered by then
     */
    CustomerStateAsOf replay(String customerId, List<EventEnvelope> events, Axis axis, Instant asOf,
                             SegmentEvaluator rules) {
        Fold fold = new Fold(rules, asOf);
        (axis == Axis.OCCURRED ? inOccurredOrder(events) : events).forEach(fold::apply);
        return fold.state(customerId, axis);
    }

    /**
     * As {@link #replay}, for a stream too long to hold: on the recorded axis folded as it is read; on the occurred
     * axis read twice, first for the events' times and kinds (what the order needs), then folded in that order,
     * holding only the events read before their turn (those recorded out of business-time order).
     *
     * @param stream  opens the customer's whole stream, from its first event, in sequence order
     * @param maxHeld at most this many events read before their turn are held
     * @throws ClientInputException (422, axis) when more than {@code maxHeld} would have to be held
     */
    CustomerStateAsOf replayStreamed(String customerId, Supplier<Iterator<EventEnvelope>> stream, Axis axis,
                                     Instant asOf, SegmentEvaluator rules, int maxHeld) {
        Fold fold = new Fold(rules, asOf);
        if (axis == Axis.RECORDED) {
            stream.get().forEachRemaining(envelope -> {
                if (axis.includes(envelope, asOf)) {
                    fold.apply(envelope);
                }
            });
            return fold.state(customerId, axis);
        }
        int[] rank = occurredRanks(stream.get(), asOf);
        Map<Integer, EventEnvelope> early = new HashMap<>();
        Iterator<EventEnvelope> events = stream.get();
        int next = 0;
        // Only as far as the first read reached: events recorded since are in neither pass's order.
        for (int position = 0; position < rank.length && events.hasNext(); position++) {
            EventEnvelope envelope = events.next();
            if (rank[position] < 0) {
                continue;
            }
            early.put(rank[position], envelope);
            for (EventEnvelope due = early.remove(next); due != null; due = early.remove(next)) {
                fold.apply(due);
                next++;
            }
            if (early.size() > maxHeld) {
                throw new ClientInputException(HttpStatus.UNPROCESSABLE_ENTITY, List.of(new FieldProblem("axis",
                        "more than " + maxHeld + " events of customer '" + customerId + "' were recorded out of"
                                + " business-time order; the occurred axis holds those in memory to order them"
                                + " (crm.audit.as-of.max-events-held); the recorded axis has no such limit")));
            }
        }
        return fold.state(customerId, axis);
    }

    /** Each event's turn on the occurred axis by position in the stream, -1 for those not folded. */
    private static int[] occurredRanks(Iterator<EventEnvelope> events, Instant asOf) {
        List<Instant> times = new ArrayList<>();
        BitSet included = new BitSet();
        BitSet statusChanges = new BitSet();
        BitSet registrations = new BitSet();
        int includedCount = 0;
        while (events.hasNext()) {
            EventEnvelope envelope = events.next();
            int position = times.size();
            times.add(envelope.occurredAt());
            if (Axis.OCCURRED.includes(envelope, asOf)) {
                included.set(position);
                includedCount++;
            }
            statusChanges.set(position, envelope.event() instanceof CustomerStatusChanged);
            registrations.set(position, envelope.event() instanceof CustomerRegistered);
        }
        int[] positions = included.stream().toArray();
        int[] order = occurredOrder(includedCount, k -> times.get(positions[k]),
                k -> statusChanges.get(positions[k]), k -> registrations.get(positions[k]));
        int[] rank = new int[times.size()];
        Arrays.fill(rank, -1);
        for (int r = 0; r < order.length; r++) {
            rank[positions[order[r]]] = r;
        }
        return rank;
    }

    /** The read models' logic folded over events in the order given: the customer as of {@code asOf}. */
    private final class Fold {

        private final SegmentEvaluator rules;
        private final Instant asOf;
        private DirectoryState directory;
        private ValueState value;
        private SegmentState segment;
        private long applied;
        private boolean registeredFirst;

        Fold(SegmentEvaluator rules, Instant asOf) {
            this.rules = rules;
            this.asOf = asOf;
        }

        void apply(EventEnvelope envelope) {
            if (applied++ == 0) {
                registeredFirst = envelope.event() instanceof CustomerRegistered;
            }
            if (!registeredFirst) {
                return;
            }
            directory = directoryLogic.apply(directory, envelope);
            value = ValueLogic.apply(value, envelope);
            // As the live projection does after every event, at the instant asked about: the segment's
            // "since" is the business time of the event that moved the customer into it.
            segment = SegmentLogic.applyAndAssessAt(segment, envelope, rules, asOf);
        }

        /** The state, or {@code null} when the customer was not registered by then (no registration came first). */
        CustomerStateAsOf state(String customerId, Axis axis) {
            if (!registeredFirst) {
                return null;
            }
            CustomerView.SegmentRef segmentRef = new CustomerView.SegmentRef(segment.segment(),
                    segment.assessment().ruleVersion());
            return new CustomerStateAsOf(customerId, asOf, axis.label(), applied,
                    // The forecast is not part of what the system knew: it depends on the model fitted since.
                    DirectoryLogic.view(directory, segmentRef, null, fx), ValueLogic.view(value, fx, null, asOf),
                    SegmentLogic.view(segment, fx));
        }
    }
}
