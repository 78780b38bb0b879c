package io.crmhistory.query.segment;

import io.crmhistory.query.projection.InProcessMongo;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.crmhistory.query.segment.SegmentBatches.contact;
import static io.crmhistory.query.segment.SegmentBatches.handle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment change log is the read model's, not a version's: a version being rebuilt logs nothing, what the live
 * version logged stays through the switch (moves no event made, such as the daily run's, included), and the customers
 * the rebuilt version assesses differently get one {@code REBUILD} change each, by the run that reconciles every
 * customer or by their first event after the switch, whichever comes first. Each customer's log stays a chain: every
 * change starts in the segment the one before it ended in, and the last ends in the live segment.
 */
class SegmentChangeLogAcrossRebuildsTest {

    static final FxRates FX = new FxRates("EUR", Map.of());
    static final Instant ASSESSED = Instant.parse("2026-01-01T00:00:00Z");
    /** 152 days on: a buyer of twelve days before {@link #ASSESSED} is no longer NEW; one of 2024 stays HIBERNATING. */
    static final Instant LATER = Instant.parse("2026-06-01T00:00:00Z");
    static final List<String> RECENT_BUYERS = List.of("x", "y");
    static final String OLD_BUYER = "z";
    /** As in production: every batch of a projection made anew is one that may repeat an unfinished delivery. */
    static final int LARGEST_BATCH = 1024;

    private InProcessMongo server;
    private MongoTemplate mongo;
    /** Which version writes the change log: 1 until the switch (and the replaced version's stop), then 2. */
    private final AtomicInteger live = new AtomicInteger(1);
    private SegmentStore first;
    private SegmentStore rebuilt;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = new MongoTemplate(server.client(), "test");
        first = store(1);
        rebuilt = store(2);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aVersionBeingRebuiltLogsNothingAndItsDifferencesAreRecordedOnceWhenItGoesLive() {
        List<SegmentChange> logged = liveHistoryWithADailyRun();

        // The rebuild replays the same events at its own now, and a daily run on it moves nobody in the log either.
        replayAll(rebuilt, ASSESSED);
        reevaluation(ASSESSED).reevaluateAll(rebuilt, SegmentChange.TIME, ASSESSED);
        assertThat(log()).containsExactlyInAnyOrderElementsOf(logged);
        assertThat(rebuilt.page(null, 10)).hasSize(3).noneMatch(SegmentState::isLogged);

        live.set(2);
        long reconciled = reevaluation(LATER).reevaluateAll(rebuilt, SegmentChange.REBUILD, LATER);

        assertThat(reconciled).isEqualTo(RECENT_BUYERS.size());
        assertThat(log()).containsAll(logged).hasSize(logged.size() + RECENT_BUYERS.size());
        for (String customer : RECENT_BUYERS) {
            SegmentChange last = changesOf(customer).get(changesOf(customer).size() - 1);
            assertThat(last.cause()).isEqualTo(SegmentChange.REBUILD);
            assertThat(last.from()).isEqualTo("NEEDS_ATTENTION");
            assertThat(last.to()).isEqualTo("NEW");
            assertThat(last.occurredAt()).isEqualTo(LATER);
        }
        assertThat(changesOf(OLD_BUYER)).noneMatch(change -> change.cause().equals(SegmentChange.REBUILD));
        assertEveryLogChained(rebuilt);
        assertThat(rebuilt.page(null, 10)).allMatch(SegmentState::isLogged);
        assertThat(rebuilt.lastReevaluation().changeLogReconciled()).isTrue();

        // Done once: a second run (another instance's periodic check, say) records nothing more.
        reevaluation(LATER).reevaluateAll(rebuilt, SegmentChange.REBUILD, LATER.plusSeconds(60));
        assertThat(log()).hasSize(logged.size() + RECENT_BUYERS.size());
    }

    @Test
    void aCustomersFirstEventAfterTheSwitchRecordsTheDifferenceBeforeItsOwnMove() {
        List<SegmentChange> logged = liveHistoryWithADailyRun();
        replayAll(rebuilt, ASSESSED);
        live.set(2);

        // x's contact is assessed at LATER: back out of NEW, which the rebuilt version had x in.
        handle(projection(rebuilt, LATER), List.of(contact("x", 2)));

        List<SegmentChange> ofX = changesOf("x");
        assertThat(ofX.subList(ofX.size() - 2, ofX.size())).extracting(SegmentChange::cause, SegmentChange::from,
                        SegmentChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SegmentChange.REBUILD, "NEEDS_ATTENTION", "NEW"),
                        org.assertj.core.groups.Tuple.tuple(SegmentChange.EVENT, "NEW", "NEEDS_ATTENTION"));
        assertThat(rebuilt.find("x").orElseThrow().isLogged()).isTrue();

        // The run then reconciles the others and leaves x alone.
        reevaluation(LATER).reevaluateAll(rebuilt, SegmentChange.REBUILD, LATER);
        assertThat(changesOf("x")).hasSize(ofX.size());
        assertThat(log()).containsAll(logged).hasSize(logged.size() + 2 + 1);
        assertEveryLogChained(rebuilt);
    }

    /**
     * The replaced version handled an event the rebuilt one had not when it began logging: the log covers that event
     * already, so neither the run nor the rebuilt version's handling of it records it again (before, the event's
     * change was refused as a duplicate id and a REBUILD change back to the segment before it ended the log).
     */
    @Test
    void anEventTheReplacedVersionLoggedAheadOfTheRebuiltOneIsNotLoggedAgain() {
        replayAll(first, ASSESSED);
        handle(projection(first, LATER), List.of(contact("x", 2)));
        replayAll(rebuilt, ASSESSED);
        List<SegmentChange> logged = log();
        assertThat(changesOf("x")).last().satisfies(change -> assertThat(change.sequence()).isEqualTo(2));

        live.set(2);
        reevaluation(LATER).reevaluateAll(rebuilt, SegmentChange.REBUILD, LATER);
        assertThat(rebuilt.find("x").orElseThrow().isLogged()).as("left to the projection").isFalse();
        handle(projection(rebuilt, LATER), List.of(contact("x", 2)));

        assertThat(log()).containsExactlyInAnyOrderElementsOf(logged);
        assertThat(rebuilt.find("x").orElseThrow().isLogged()).isTrue();
        assertEveryLogChained(rebuilt);
    }

    /**
     * The replaced version logged a customer's moves at two events the rebuilt one had not handled when it began
     * logging. The rebuilt one takes the log over at the second: before, it recorded a REBUILD change back to its
     * segment after the first event (ending the log there), and its move at the second was refused as a duplicate id.
     */
    @Test
    void movesTheReplacedVersionLoggedAheadOverSeveralEventsStayTheLogs() {
        replayAll(first, ASSESSED);
        handle(projection(first, LATER), List.of(contact("x", 2), churned("x", 3)));
        replayAll(rebuilt, ASSESSED);
        List<SegmentChange> logged = log();
        assertThat(changesOf("x")).extracting(SegmentChange::to).endsWith("NEEDS_ATTENTION", "CHURNED");

        live.set(2);
        reevaluation(LATER).reevaluateAll(rebuilt, SegmentChange.REBUILD, LATER);
        handle(projection(rebuilt, LATER), List.of(contact("x", 2), churned("x", 3)));

        assertThat(log()).containsExactlyInAnyOrderElementsOf(logged);
        assertThat(rebuilt.find("x").orElseThrow()).satisfies(x -> {
            assertThat(x.isLogged()).isTrue();
            assertThat(x.segment()).isEqualTo("CHURNED");
        });
        assertEveryLogChained(rebuilt);
    }

    /**
     * The rebuilt version's first event of a customer took the log over (a REBUILD change from the replaced version's
     * last) and its states were lost (a crash before they were written); delivered again at another now, the event
     * is assessed differently. The change of the unfinished delivery is replaced: before, it was taken for the log's
     * last, and the new one, with its id, was refused as a duplicate.
     */
    @Test
    void aTakeOverDeliveredAgainReplacesTheUnfinishedDeliverysChange() {
        replayAll(first, ASSESSED);
        handle(projection(first, LATER), List.of(contact("x", 2)));
        replayAll(rebuilt, ASSESSED);
        live.set(2);
        org.bson.Document beforeTheBatch = mongo.getCollection(rebuilt.collection())
                .find(com.mongodb.client.model.Filters.eq("_id", "x")).first();
        handle(projection(store(2), LATER.plus(Duration.ofDays(400))), List.of(contact("x", 2)));
        assertThat(changesOf("x")).last().satisfies(change -> assertThat(change.to()).isEqualTo("HIBERNATING"));
        mongo.getCollection(rebuilt.collection()).replaceOne(com.mongodb.client.model.Filters.eq("_id", "x"),
                beforeTheBatch);

        handle(projection(store(2), LATER), List.of(contact("x", 2)));

        assertThat(store(2).find("x").orElseThrow().segment()).isEqualTo("NEEDS_ATTENTION");
        assertThat(changesOf("x")).noneMatch(change -> change.cause().equals(SegmentChange.REBUILD));
        assertEveryLogChained(store(2));
    }

    @Test
    void theChangesAVersionKeptInItsOwnCollectionAreCarriedIntoTheLogOnce() {
        List<SegmentChange> legacy = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            legacy.add(new SegmentChange(SegmentChange.timelineKey("c" + i, 0) + "/s", "c" + i, 0, "e" + i, null,
                    "NEW", 1, "NEW", SegmentChange.EVENT, ASSESSED, ASSESSED, null));
        }
        mongo.insert(legacy, first.legacyChanges());

        assertThat(first.carryLegacyChanges()).isEqualTo(legacy.size());
        assertThat(first.carryLegacyChanges()).isZero();
        assertThat(store(1).carryLegacyChanges()).as("after a restart: marked carried in the store").isZero();
        assertThat(log()).containsExactlyInAnyOrderElementsOf(legacy);
        // It stays the version's: dropped with it, while the log is not.
        assertThat(first.collections()).contains(first.legacyChanges()).doesNotContain(first.changes());
    }

    /**
     * Version 1 live: the customers' events at {@link #ASSESSED}, then the daily run at {@link #LATER}, which moves
     * the recent buyers to NEEDS_ATTENTION with no event of theirs.
     *
     * @return the log it left
     */
    private List<SegmentChange> liveHistoryWithADailyRun() {
        replayAll(first, ASSESSED);
        assertThat(reevaluation(LATER).reevaluateAll(first, SegmentChange.TIME, LATER)).isEqualTo(RECENT_BUYERS.size());
        assertEveryLogChained(first);
        List<SegmentChange> logged = log();
        assertThat(logged).filteredOn(change -> change.cause().equals(SegmentChange.TIME)).hasSize(2);
        return logged;
    }

    private void replayAll(SegmentStore store, Instant now) {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String customer : List.of("x", "y", OLD_BUYER)) {
            String purchasedAt = customer.equals(OLD_BUYER) ? "2024-01-01T00:00:00Z" : "2025-12-20T00:00:00Z";
            for (EventEnvelope envelope : Events.of(customer).registered("C", null, "2023-06-01T00:00:00Z")
                    .purchase("o-" + customer, "40.00", "EUR", purchasedAt).envelopes()) {
                events.add(new GenericDomainEventMessage<>("Customer", customer, envelope.sequence(), envelope.event()));
            }
        }
        handle(projection(store, now), events);
    }



    private static EventMessage<?> churned(String customer, long sequence) {
        CustomerEvent event = Events.of(customer).status(CustomerStatus.ACTIVE, CustomerStatus.CHURNED,
                "2026-05-31T00:00:00Z").last().event();
        return new GenericDomainEventMessage<>("Customer", customer, sequence, event);
    }

    /** In the order it was written, every customer's changes start where the one before ended and end in the state. */
    private void assertEveryLogChained(SegmentStore liveStore) {
        for (SegmentState state : liveStore.page(null, 10)) {
            String previous = null;
            for (SegmentChange change : changesOf(state.id())) {
                assertThat(change.from()).as(state.id() + ": " + changesOf(state.id())).isEqualTo(previous);
                previous = change.to();
            }
            assertThat(previous).as(state.id()).isEqualTo(state.segment());
        }
    }

    private SegmentStore store(int version) {
        return new SegmentStore(mongo, new ProjectionVersion("segment", version), FX, SegmentForecaster.NONE,
                () -> live.get() == version);
    }

    private SegmentProjection projection(SegmentStore store, Instant now) {
        return new SegmentProjection(store.version(), store, reevaluation(now), Clock.fixed(now, ZoneOffset.UTC),
                new ReadModelVersions(Duration.ofSeconds(1)), SimpleQueryUpdateEmitter.builder().build(),
                store::logsChanges, LARGEST_BATCH);
    }

    private static SegmentReevaluation reevaluation(Instant now) {
        return new SegmentReevaluation(Clock.fixed(now, ZoneOffset.UTC), Clock.systemUTC(),
                new ReadModelVersions(Duration.ofSeconds(1)));
    }

    private List<SegmentChange> log() {
        return mongo.findAll(SegmentChange.class, SegmentStore.CHANGE_LOG);
    }

    /** The customer's changes in the order they were written. */
    private List<SegmentChange> changesOf(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), SegmentChange.class,
                SegmentStore.CHANGE_LOG).stream().sorted(SegmentChange.LOG_ORDER).toList();
    }
}
