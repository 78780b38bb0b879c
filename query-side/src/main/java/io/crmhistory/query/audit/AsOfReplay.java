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


import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
     * after live events: the live ones wait) is folded in one read after the first.
     * <p>
     * A read that meets an erasure is done again (the key is gone by then): the events read before it were revealed
     * with the key it destroyed, as {@link CustomerTimelines} does for streams it holds.
     *
     * @param stream opens the customer's whole stream, from its first event, in sequence order
     */
    CustomerStateAsOf replayStreamed(String customerId, Supplier<Iterator<EventEnvelope>> stream, Axis axis,
                                     Instant asOf, SegmentEvaluator rules, int maxHeld) {
        if (axis == Axis.RECORDED) {
            Fold fold = foldRecorded(stream.get(), rules, asOf);
            return (fold.metErasure ? foldRecorded(stream.get(), rules, asOf) : fold).state(customerId, axis);
        }
        OccurredOrder order = new OccurredOrder();
        stream.get().forEachRemaining(envelope -> order.add(envelope, axis.includes(envelope, asOf)));
        int[] turns = order.turns();
        int folded = (int) Arrays.stream(turns).filter(turn -> turn >= 0).count();
        Fold fold = new Fold(rules, asOf);
        while (fold.applied < folded) {
            long before = fold.applied;
            foldInTurn(stream.get(), turns, fold, maxHeld);
            if (fold.applied == before) {
                throw new IllegalStateException("customer '" + customerId + "': the event with turn " + before
                        + " on the occurred axis was not read again; the stream changed while being read");
            }
        }
        return fold.state(customerId, axis);
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
    private static void foldInTurn(Iterator<EventEnvelope> events, int[] turns, Fold fold, int maxHeld) {
        TreeMap<Long, EventEnvelope> early = new TreeMap<>();
        for (int position = 0; position < turns.length && events.hasNext(); position++) {
            EventEnvelope envelope = events.next();
            long turn = turns[position];
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
