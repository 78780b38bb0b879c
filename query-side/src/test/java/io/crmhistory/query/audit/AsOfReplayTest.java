package io.crmhistory.query.audit;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.query.CustomerStateAsOf;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.platform.web.ClientInputException;
import org.springframework.http.HttpStatus;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.segment.SegmentEvaluator;
import org.junit.jupiter.api.Test;

import io.crmhistory.query.segment.SegmentLogic;
import io.crmhistory.query.segment.SegmentState;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Random;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsOfReplayTest {

    static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    static final SegmentEvaluator DEFAULT_RULES = new SegmentEvaluator(1, SegmentationRuleSet.DEFAULT, FX);
    final AsOfReplay replay = new AsOfReplay(FX);

    @Test
    void onTheOccurredAxisEventsFoldInBusinessTimeOrderWithTheRegistrationFirst() {
        List<EventEnvelope> events = Events.of("bob")
                .registered("Bob", null, "2025-03-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.ACTIVE, "2025-04-01T00:00:00Z")
                .status(CustomerStatus.ACTIVE, CustomerStatus.CHURNED, "2025-05-01T00:00:00Z")
                // recorded last, happened first: a purchase from before the registration, imported
                .purchase("o-1", "20.00", "EUR", "2025-01-01T00:00:00Z")
                .envelopes();
        Instant asOf = Instant.parse("2025-06-01T00:00:00Z");

        CustomerStateAsOf state = replay.replay("bob", events, Axis.OCCURRED, asOf, DEFAULT_RULES);

        assertThat(state.customer().status()).isEqualTo(CustomerStatus.CHURNED);
        assertThat(state.customer().registeredAt()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(state.value().orderCount()).isEqualTo(1);
        assertThat(state.segment().segment()).isEqualTo("CHURNED");
        assertThat(state.segment().since()).isEqualTo(Instant.parse("2025-05-01T00:00:00Z"));
    }

    /**
     * A status changed in June, then a purchase imported in July but dated March, which re-activated the customer as
     * of March. The newest decision is in force: in business-time order the June change must not undo it.
     */
    @Test
    void onTheOccurredAxisTheStatusIsTheLatestRecordedDecisionInForceByThen() {
        List<EventEnvelope> events = Events.of("pam")
                .registered("Pam", null, "2025-01-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.PROSPECT, "2025-06-01T00:00:00Z")
                .purchase("o-1", "20.00", "EUR", "2025-03-01T00:00:00Z")
                .status(CustomerStatus.PROSPECT, CustomerStatus.ACTIVE, "2025-03-01T00:00:00Z")
                .envelopes();
        Instant july = Instant.parse("2025-07-01T00:00:00Z");

        CustomerStateAsOf occurred = replay.replay("pam", events, Axis.OCCURRED, july, DEFAULT_RULES);
        CustomerStateAsOf recorded = replay.replay("pam", events, Axis.RECORDED, july, DEFAULT_RULES);

        assertThat(occurred.customer().status()).isEqualTo(CustomerStatus.ACTIVE).isEqualTo(recorded.customer().status());
        assertThat(occurred.segment().segment()).isEqualTo(recorded.segment().segment());
        assertThat(occurred.eventsApplied()).as("the June change is overridden").isEqualTo(3);
        assertThat(replay.replay("pam", events.subList(0, 1), Axis.OCCURRED, Instant.parse("2025-02-01T00:00:00Z"),
                DEFAULT_RULES).customer().status()).isEqualTo(CustomerStatus.LEAD);
    }

    @Test
    void withoutItsRegistrationTheCustomerDidNotExistYet() {
        List<EventEnvelope> purchaseOnly = Events.of("bob").registered("Bob", null, "2025-03-01T00:00:00Z")
                .purchase("o-1", "20.00", "EUR", "2025-01-01T00:00:00Z").envelopes().subList(1, 2);

        assertThat(replay.replay("bob", purchaseOnly, Axis.OCCURRED, Instant.parse("2025-02-01T00:00:00Z"),
                DEFAULT_RULES)).isNull();
        assertThat(replay.replay("bob", List.of(), Axis.RECORDED, Instant.parse("2025-02-01T00:00:00Z"),
                DEFAULT_RULES)).isNull();
    }

    @Test
    void valueAndRecencyAreMeasuredAtTheInstantAskedAbout() {
        List<EventEnvelope> events = Events.of("eve").registered("Eve", null, "2024-01-01T00:00:00Z")
                .purchase("o-1", "600.00", "EUR", "2024-02-01T00:00:00Z")
                .purchase("o-2", "100.00", "USD", "2025-03-01T00:00:00Z")
                .envelopes();

        CustomerStateAsOf state = replay.replay("eve", events, Axis.RECORDED, Instant.parse("2025-03-02T00:00:00Z"),
                DEFAULT_RULES);

        assertThat(state.value().revenueLast12Months()).isEqualTo("92.00");
        assertThat(state.value().netRevenue()).isEqualTo("692.00");
        assertThat(state.segment().inputs().daysSinceLastPurchase()).isEqualTo(1);
        assertThat(state.segment().scores().recency()).isEqualTo(5);
        assertThat(state.segment().evaluatedAt()).isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));
    }

    @Test
    void tenThousandEventsFoldInMemory() {
        Events events = Events.of("long").registered("Long", null, "2020-01-01T00:00:00Z");
        Instant at = Instant.parse("2020-01-02T00:00:00Z");
        for (int i = 1; i < 10_000; i++) {
            at = at.plusSeconds(3_600);
            if (i % 2 == 0) {
                events.purchase("o-" + i, "10.00", "EUR", at.toString());
            } else {
                events.contact("c-" + i, ContactChannel.EMAIL, at.toString());
            }
        }
        List<EventEnvelope> all = events.envelopes();
        replay.replay("long", all, Axis.RECORDED, Instant.parse("2026-01-01T00:00:00Z"), DEFAULT_RULES);
        long started = System.nanoTime();
        CustomerStateAsOf state = replay.replay("long", all, Axis.RECORDED, Instant.parse("2026-01-01T00:00:00Z"),
                DEFAULT_RULES);
        System.out.println("fold of 10,000 events: " + (System.nanoTime() - started) / 1_000_000 + " ms");

        assertThat(state.eventsApplied()).isEqualTo(10_000);
        assertThat(state.value().orderCount()).isEqualTo(4_999);
        assertThat(state.value().contactCount()).isEqualTo(5_000);
    }

    /**
     * Assessing drops the contacts before the window ({@link SegmentLogic#assess}); the assessments must be those of
     * a state that kept every contact, with "now" moving forward as the live projection's clock does, or standing
     * still as an as-of's.
     */
    @Test
    void droppingContactsBeforeTheWindowChangesNoAssessment() {
        Random random = new Random(7);
        for (int history = 0; history < 50; history++) {
            List<EventEnvelope> events = RandomHistories.of("h-" + history, random);
            Instant now = Instant.parse("2026-01-01T00:00:00Z").minus(Duration.ofDays(random.nextInt(700)));
            boolean clockMoves = history % 2 == 0;
            SegmentState everyContact = null;
            SegmentState kept = null;
            for (EventEnvelope envelope : events) {
                now = clockMoves ? now.plus(Duration.ofDays(random.nextInt(40))) : now;
                everyContact = SegmentLogic.apply(everyContact, envelope);
                kept = SegmentLogic.assess(SegmentLogic.apply(kept, envelope), DEFAULT_RULES, now, envelope.occurredAt());
                assertThat(kept.assessment()).isEqualTo(DEFAULT_RULES.evaluate(everyContact, now));
                Instant windowStart = now.minus(SegmentEvaluator.CONTACT_WINDOW);
                assertThat(kept.contacts()).allMatch(at -> at.isAfter(windowStart));
            }
        }
    }

    /** The evaluation skipped for contacts outside the window must leave every state as the full assessment does. */
    @Test
    void contactsOutsideTheWindowLeaveTheStatesTheFullAssessmentGives() {
        Random random = new Random(11);
        for (int history = 0; history < 200; history++) {
            List<EventEnvelope> events = RandomHistories.of("h-" + history, random);
            Instant asOf = Instant.parse("2026-01-01T00:00:00Z").minus(Duration.ofDays(random.nextInt(1_000)));
            SegmentState skipping = null;
            SegmentState full = null;
            for (EventEnvelope envelope : events) {
                skipping = SegmentLogic.applyAndAssessAt(skipping, envelope, DEFAULT_RULES, asOf);
                full = SegmentLogic.assess(SegmentLogic.apply(full, envelope), DEFAULT_RULES, asOf,
                        envelope.occurredAt());
                assertThat(skipping).isEqualTo(full);
            }
        }
    }

    @Test
    void aContactBeforeTheWindowIsNotEvaluatedAgainOneInsideItIs() {
        List<EventEnvelope> events = Events.of("cal").registered("Cal", null, "2024-01-01T00:00:00Z")
                .contact("c-1", ContactChannel.EMAIL, "2024-02-01T00:00:00Z")
                .contact("c-2", ContactChannel.PHONE, "2025-12-20T00:00:00Z")
                .envelopes();
        Instant asOf = Instant.parse("2026-01-01T00:00:00Z");

        SegmentState registered = SegmentLogic.applyAndAssessAt(null, events.get(0), DEFAULT_RULES, asOf);
        SegmentState oldContact = SegmentLogic.applyAndAssessAt(registered, events.get(1), DEFAULT_RULES, asOf);
        SegmentState recentContact = SegmentLogic.applyAndAssessAt(oldContact, events.get(2), DEFAULT_RULES, asOf);

        assertThat(oldContact.assessment()).isSameAs(registered.assessment());
        assertThat(oldContact.contacts()).isEmpty();
        assertThat(oldContact.lastSequence()).isEqualTo(events.get(1).sequence());
        assertThat(recentContact.assessment()).isNotSameAs(registered.assessment());
        assertThat(recentContact.assessment().contacts90d()).isEqualTo(1);
    }

    /**
     * A stream too long to hold is answered as it is read: on both axes and at any instant the same state as the
     * events held in memory give, whatever the number of events the occurred axis may hold ahead of their turn.
     */
    @Test
    void aStreamedReplayAnswersAsTheHeldOneDoes() {
        Random random = new Random(17);
        for (int history = 0; history < 300; history++) {
            List<EventEnvelope> events = RandomHistories.of("s-" + history, random);
            Instant asOf = Instant.parse("2026-01-01T00:00:00Z").minus(Duration.ofDays(random.nextInt(1_100)));
            for (Axis axis : Axis.values()) {
                List<EventEnvelope> included = events.stream().filter(e -> axis.includes(e, asOf)).toList();
                CustomerStateAsOf held = replay.replay("s-" + history, included, axis, asOf, DEFAULT_RULES);
                for (int maxHeld : new int[]{1, 3, events.size()}) {
                    CustomerStateAsOf streamed = replay.replayStreamed("s-" + history, events::iterator, axis, asOf,
                            DEFAULT_RULES, maxHeld);

                    assertThat(streamed).as("history %d, %s, %s, %d held", history, axis, asOf, maxHeld)
                            .isEqualTo(held);
                }
            }
        }
    }

    /** The live purchase waits for the backfilled ones dated before it: one held, one read after the first. */
    @Test
    void onTheOccurredAxisOnlyEventsReadBeforeTheirTurnAreHeld() {
        Events backfilled = Events.of("bea").registered("Bea", null, "2025-06-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-07-01T00:00:00Z");
        for (int i = 2; i <= 5; i++) {
            backfilled.purchase("o-" + i, "10.00", "EUR", "2025-06-0" + i + "T00:00:00Z");
        }
        CountedReads reads = new CountedReads(backfilled.envelopes());
        Instant asOf = Instant.parse("2025-08-01T00:00:00Z");

        CustomerStateAsOf state = replay.replayStreamed("bea", reads, Axis.OCCURRED, asOf, DEFAULT_RULES, 1);

        assertThat(state.eventsApplied()).isEqualTo(6);
        assertThat(state.value().orderCount()).isEqualTo(5);
        assertThat(state.value().firstPurchaseAt()).isEqualTo(Instant.parse("2025-06-02T00:00:00Z"));
        assertThat(reads.count).isEqualTo(2);
    }

    /**
     * Two live purchases wait for three backfilled ones dated before them, and only one may be held: the second
     * waits for another read, from where the one before got to. Nothing is refused, nothing folded twice.
     */
    @Test
    void moreEventsAheadOfTheirTurnThanMayBeHeldAreFoldedByMoreReads() {
        Events events = Events.of("cy").registered("Cy", null, "2025-06-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-07-01T00:00:00Z")
                .purchase("o-2", "20.00", "EUR", "2025-07-02T00:00:00Z");
        for (int i = 3; i <= 5; i++) {
            events.purchase("o-" + i, "10.00", "EUR", "2025-06-0" + i + "T00:00:00Z");
        }
        List<EventEnvelope> all = events.envelopes();
        Instant asOf = Instant.parse("2025-08-01T00:00:00Z");
        CountedReads oneHeld = new CountedReads(all);
        CountedReads twoHeld = new CountedReads(all);

        CustomerStateAsOf state = replay.replayStreamed("cy", oneHeld, Axis.OCCURRED, asOf, DEFAULT_RULES, 1);

        assertThat(state).isEqualTo(replay.replay("cy", all, Axis.OCCURRED, asOf, DEFAULT_RULES));
        assertThat(state.value().netRevenue()).isEqualTo("60.00");
        assertThat(oneHeld.count).as("the times, then two folding reads").isEqualTo(3);
        assertThat(replay.replayStreamed("cy", twoHeld, Axis.OCCURRED, asOf, DEFAULT_RULES, 2)).isEqualTo(state);
        assertThat(twoHeld.count).isEqualTo(2);
    }

    /** Events recorded after the first read are in no answer of this question, on either read. */
    @Test
    void eventsRecordedBetweenTheReadsAreLeftForTheNextQuestion() {
        Events events = Events.of("di").registered("Di", null, "2025-06-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-07-01T00:00:00Z");
        List<EventEnvelope> first = events.envelopes();
        List<EventEnvelope> later = events.purchase("o-0", "99.00", "EUR", "2025-06-02T00:00:00Z").envelopes();
        CountedReads reads = new CountedReads(first, later);
        Instant asOf = Instant.parse("2025-08-01T00:00:00Z");

        CustomerStateAsOf state = replay.replayStreamed("di", reads, Axis.OCCURRED, asOf, DEFAULT_RULES, 10);

        assertThat(state).isEqualTo(replay.replay("di", first, Axis.OCCURRED, asOf, DEFAULT_RULES));
    }

    /** Tampering between the reads (an event gone) is an error, not a state missing it. */
    @Test
    void anEventGoneBetweenTheReadsIsAnErrorNotAPartialState() {
        List<EventEnvelope> all = Events.of("ed").registered("Ed", null, "2025-06-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-07-01T00:00:00Z")
                .purchase("o-2", "10.00", "EUR", "2025-06-02T00:00:00Z").envelopes();
        CountedReads reads = new CountedReads(all, all.subList(0, 2));

        assertThatThrownBy(() -> replay.replayStreamed("ed", reads, Axis.OCCURRED,
                Instant.parse("2025-08-01T00:00:00Z"), DEFAULT_RULES, 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("changed while being read");
    }

    /** A row deleted and another recorded between the reads: the positions shift, which is an error, not a state. */
    @Test
    void anEventMovedBetweenTheReadsIsAnError() {
        List<EventEnvelope> all = Events.of("gil").registered("Gil", null, "2025-06-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-07-01T00:00:00Z")
                .purchase("o-2", "10.00", "EUR", "2025-06-02T00:00:00Z")
                .purchase("o-3", "10.00", "EUR", "2025-06-03T00:00:00Z").envelopes();
        CountedReads reads = new CountedReads(all.subList(0, 3), List.of(all.get(0), all.get(2), all.get(3)));

        assertThatThrownBy(() -> replay.replayStreamed("gil", reads, Axis.OCCURRED,
                Instant.parse("2025-08-01T00:00:00Z"), DEFAULT_RULES, 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was read where event 1 was");
    }

    /**
     * A backfill recorded newest first, with one event held at a time: two folded per read, so forty need more reads
     * than a question may take — refused naming the axis; holding forty, one read folds them.
     */
    @Test
    void aStreamThatWouldTakeTooManyReadsIsAProblemNamingTheAxis() {
        Events events = Events.of("hal").registered("Hal", null, "2025-01-01T00:00:00Z");
        Instant at = Instant.parse("2025-06-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            events.purchase("o-" + i, "1.00", "EUR", at.minus(Duration.ofDays(i)).toString());
        }
        List<EventEnvelope> all = events.envelopes();
        Instant asOf = Instant.parse("2025-08-01T00:00:00Z");

        assertThatThrownBy(() -> replay.replayStreamed("hal", all::iterator, Axis.OCCURRED, asOf, DEFAULT_RULES, 1))
                .isInstanceOfSatisfying(ClientInputException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
                    assertThat(problem.problems()).singleElement()
                            .satisfies(field -> assertThat(field.field()).isEqualTo("axis"));
                });
        CountedReads reads = new CountedReads(all);
        assertThat(replay.replayStreamed("hal", reads, Axis.OCCURRED, asOf, DEFAULT_RULES, 40).eventsApplied())
                .isEqualTo(41);
        assertThat(reads.count).isEqualTo(2);
    }

    /**
     * An erasure committed while a long stream was read: the events before it were revealed with the key it
     * destroyed. Asked as of before the erasure, the answer must come from a read with the key gone.
     */
    @Test
    void aRecordedReadThatMetAnErasureIsDoneAgainWithTheKeyGone() {
        List<EventEnvelope> revealed = Events.of("fay").registered("Fay Revealed", null, "2025-06-01T00:00:00Z")
                .add(new CustomerPersonalDataErased("fay", "request", Events.at("2025-07-01T00:00:00Z"))).envelopes();
        List<EventEnvelope> keyGone = Events.of("fay").registered(null, null, "2025-06-01T00:00:00Z")
                .add(new CustomerPersonalDataErased("fay", "request", Events.at("2025-07-01T00:00:00Z"))).envelopes();
        CountedReads reads = new CountedReads(revealed, keyGone);

        CustomerStateAsOf state = replay.replayStreamed("fay", reads, Axis.RECORDED,
                Instant.parse("2025-06-15T00:00:00Z"), DEFAULT_RULES, 10);

        assertThat(state.toString()).doesNotContain("Fay Revealed");
        assertThat(reads.count).isEqualTo(2);
    }

    /** Opens the given reads of a stream in turn (the last one again), counting them. */
    private static final class CountedReads implements Supplier<Iterator<EventEnvelope>> {

        private final List<List<EventEnvelope>> reads;
        private int count;

        @SafeVarargs
        CountedReads(List<EventEnvelope>... reads) {
            this.reads = List.of(reads);
        }

        @Override
        public Iterator<EventEnvelope> get() {
            return reads.get(Math.min(count++, reads.size() - 1)).iterator();
        }
    }
}
