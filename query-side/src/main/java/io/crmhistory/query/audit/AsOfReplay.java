package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerRegistered;
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
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A customer as they were at an instant, folded from their events through the very state logic the live
 * projections use ({@link DirectoryLogic}, {@link ValueLogic}, {@link SegmentLogic}), so an as-of answer
 * and a live answer can only differ by the events and the instant they were given. Pure: the events, the
 * rules in force and the instant decide the answer.
 */
final class AsOfReplay {

    /**
     * The most reads of a stream that fold on the occurred axis: with the default limit on held events, streams with up
     * to 1.6 million events waiting for their turn at once (more than any backfill of one customer) are answered.
     */
    static final int MAX_FOLDING_READS = 16;

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

    /** The events folded on the occurred axis, in their turn ({@link OccurredOrder}). */
    static List<EventEnvelope> inOccurredOrder(List<EventEnvelope> events) {
        OccurredOrder order = new OccurredOrder();
        events.forEach(envelope -> order.add(envelope, true));
        int[] positions = order.positionsInTurn();
        List<EventEnvelope> inTurn = new ArrayList<>(positions.length);
        for (int position : positions) {
            inTurn.add(events.get(position));
        }
        return inTurn;
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
     * As {@link #replay}, for a stream too long to hold, holding at most {@code maxHeld} events. On the recorded axis
     * the events are folded as they are read. On the occurred axis the stream is read first for the events' business
     * times and kinds ({@link OccurredOrder}), then again to fold each in its turn, holding those read before it (events
     * recorded out of business-time order), at most {@code maxHeld}; those it cannot hold are folded by another read,
     * from where this one got to. A stream with at most {@code maxHeld} events waiting at any time (a backfill imported
     * after live events: the live ones wait) is folded in one read after the first; one that would need more than
     * {@link #MAX_FOLDING_READS} is refused (422 naming the axis) rather than read without end. Every later read must
     * find the first read's events where they were: a stream changed in between is an error, never a state.
     * <p>
     * A read that meets an erasure is done again (the key is gone by then): the events read before it were revealed
     * with the key it destroyed, as {@link CustomerTimelines} does for streams it holds.
     *
     * @param stream opens the customer's whole stream, from its first event, in sequence order
     */
    CustomerStateAsOf replayStreamed(String customerId, Supplier<Iterator<EventEnvelope>> stream, Axis axis,
                                     Instant asOf, SegmentEvaluator rules, int maxHeld) {
        if (maxHeld < 1) {
            throw new IllegalArgumentException("at least one event must be held, not " + maxHeld);
        }
        if (axis == Axis.RECORDED) {
            Fold fold = foldRecorded(stream.get(), rules, asOf);
            return (fold.metErasure ? foldRecorded(stream.get(), rules, asOf) : fold).state(customerId, axis);
        }
        OccurredOrder.Turns turns = turnsOf(stream.get(), asOf);
        Fold fold = new Fold(rules, asOf);
        for (int reads = 1; !fold.done(turns.folded()); reads++) {
            if (reads > MAX_FOLDING_READS) {
                throw new ClientInputException(HttpStatus.UNPROCESSABLE_ENTITY, List.of(new FieldProblem("axis",
                        "customer '" + customerId + "' has more events recorded out of business-time order than "
                                + MAX_FOLDING_READS + " reads of their " + turns.turn().length + " events holding "
                                + maxHeld + " each can order; ask on the recorded axis, or raise"
                                + " crm.audit.as-of.max-events-held")));
            }
            long before = fold.applied;
            foldInTurn(customerId, stream.get(), turns, fold, maxHeld);
            if (fold.applied == before) {
                throw new IllegalStateException("customer '" + customerId + "': the event with turn " + before
                        + " on the occurred axis was not read again; the stream changed while being read");
            }
        }
        return fold.state(customerId, axis);
    }

    /** The first read on the occurred axis: the turns, and nothing of the order kept beyond it. */
    private static OccurredOrder.Turns turnsOf(Iterator<EventEnvelope> events, Instant asOf) {
        OccurredOrder order = new OccurredOrder();
        events.forEachRemaining(envelope -> order.add(envelope, Axis.OCCURRED.includes(envelope, asOf)));
        return order.turns();
    }

    private Fold foldRecorded(Iterator<EventEnvelope> events, SegmentEvaluator rules, Instant asOf) {
        Fold fold = new Fold(rules, asOf);
        events.forEachRemaining(envelope -> {
            fold.metErasure |= envelope.event() instanceof CustomerPersonalDataErased;
            if (Axis.RECORDED.includes(envelope, asOf)) {
                fold.apply(envelope);
            }
        });
        return fold;
    }

    /**
     * One read folding the events in turn from the fold's next one on, holding up to {@code maxHeld} of those read
     * before their turn; when that many are held, the one furthest ahead (or the one just read, if it is) is left for a
     * later read. Whatever is held, the next turn is folded when read, so every read folds at least one event. Only as
     * far as the first read reached: events recorded since are not in the order.
     */
    private static void foldInTurn(String customerId, Iterator<EventEnvelope> events, OccurredOrder.Turns turns,
                                   Fold fold, int maxHeld) {
        TreeMap<Long, EventEnvelope> early = new TreeMap<>();
        int[] turnAt = turns.turn();
        for (int position = 0; position < turnAt.length && events.hasNext() && !fold.done(turns.folded()); position++) {
            EventEnvelope envelope = events.next();
            if (envelope.sequence() != turns.sequence()[position]) {
                throw new IllegalStateException("customer '" + customerId + "': event " + envelope.sequence()
                        + " was read where event " + turns.sequence()[position] + " was before; the stream changed"
                        + " while being read");
            }
            long turn = turnAt[position];
            if (turn < fold.applied) {
                continue; // folded by an earlier read, or not folded at all (-1)
            }
            if (turn > fold.applied) {
                if (early.size() == maxHeld) {
                    if (turn > early.lastKey()) {
                        continue;
                    }
                    early.pollLastEntry();
                }
                early.put(turn, envelope);
                continue;
            }
            fold.apply(envelope);
            for (EventEnvelope due = early.remove(fold.applied); due != null; due = early.remove(fold.applied)) {
                fold.apply(due);
            }
        }
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
        /** Whether the read met the customer's erasure, folded or not. */
        private boolean metErasure;

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

        /** Whether all {@code folded} events were folded, or the first was no registration (nothing more counts). */
        boolean done(int folded) {
            return applied >= folded || (applied > 0 && !registeredFirst);
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
