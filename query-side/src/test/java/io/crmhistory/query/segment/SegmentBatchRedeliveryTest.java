package io.crmhistory.query.segment;

import com.mongodb.client.model.Filters;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.bson.Document;
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
import java.util.List;
import java.util.Map;

import static io.crmhistory.query.segment.SegmentBatches.handle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch whose segment changes were written and whose states were not (a crash between the two writes) is delivered
 * again, and assessed at a later now than the first time: a recency threshold may have been crossed in between. The
 * change log must then hold what the states say, not the first delivery's moves (which were kept as duplicates).
 */
class SegmentBatchRedeliveryTest {

    static final Instant ASSESSED = Instant.parse("2026-01-01T00:00:00Z");
    /** 163 days after x's only purchase: recency 3, no longer NEW. */
    static final Instant LATER = Instant.parse("2026-06-01T00:00:00Z");
    /** 528 days after it: recency 1, HIBERNATING. */
    static final Instant MUCH_LATER = Instant.parse("2027-06-01T00:00:00Z");

    private final InProcessMongo server = new InProcessMongo();
    private final MongoTemplate mongo = server.template();
    private Document storedBefore;

    @BeforeEach
    void start() {
        SegmentStore store = store();
        SegmentState state = null;
        for (EventEnvelope envelope : Events.of("x").registered("C", null, "2023-06-01T00:00:00Z")
                .purchase("o-x", "40.00", "EUR", "2025-12-20T00:00:00Z").envelopes()) {
            state = SegmentLogic.apply(state, envelope);
        }
        mongo.insert(SegmentLogic.assess(state, store.ruleBook().current(), ASSESSED, ASSESSED).withLogged(true),
                store.collection());
        storedBefore = mongo.getCollection(store.collection()).find(Filters.eq("_id", "x")).first();
        assertThat(store.find("x").orElseThrow().segment()).isEqualTo("NEW");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRedeliveryAssessingAnotherMoveLogsItsOwn() {
        deliverAndLoseTheStates(LATER);
        assertThat(changesOf("x")).extracting(SegmentChange::to).containsExactly("NEEDS_ATTENTION");

        handle(projection(store(), MUCH_LATER), List.of(contact()));

        assertThat(changesOf("x")).singleElement().satisfies(change -> {
            assertThat(change.sequence()).isEqualTo(2);
            assertThat(change.from()).isEqualTo("NEW");
            assertThat(change.to()).isEqualTo("HIBERNATING");
        });
        assertThat(store().find("x").orElseThrow().segment()).isEqualTo("HIBERNATING");
    }

    @Test
    void aRedeliveryAssessingNoMoveWithdrawsTheFirstDeliverysMove() {
        deliverAndLoseTheStates(LATER);

        // Whatever makes the second assessment stay where the customer was (here: an earlier fixed clock).
        handle(projection(store(), ASSESSED), List.of(contact()));

        assertThat(changesOf("x")).isEmpty();
        assertThat(store().find("x").orElseThrow().segment()).isEqualTo("NEW");
    }

    /**
     * Once the events a batch cut short may have held are past (twice the largest batch: events committed into the
     * token's gaps may come first), a batch does not look for its changes again.
     */
    @Test
    void batchesPastTwiceTheLargestBatchSinceTheStartSupersedeNothing() {
        SegmentProjection projection = projection(store(), LATER, 1);
        handle(projection, List.of(contact()));
        SegmentChange first = changesOf("x").get(0);

        // Changes stored under the ids the next events' would have (they move nobody): only a batch that may repeat
        // an unfinished one deletes them.
        plantChangeOf(3);
        handle(projection, List.of(contact(3)));
        assertThat(changesOf("x")).as("one event committed: within twice the largest batch").containsExactly(first);

        SegmentChange planted = plantChangeOf(4);
        handle(projection, List.of(contact(4)));
        assertThat(changesOf("x")).as("two committed").containsExactlyInAnyOrder(first, planted);

        // A dead letter retried alone may repeat an attempt cut short, whatever the stream has committed.
        plantChangeOf(5);
        EventMessage<?> letter = contact(5);
        DefaultUnitOfWork.startAndGet(letter).execute(() ->
                projection.on((CustomerEvent) letter.getPayload(), letter, 5));
        assertThat(changesOf("x")).containsExactlyInAnyOrder(first, planted);
    }

    private SegmentChange plantChangeOf(long sequence) {
        SegmentChange planted = new SegmentChange(SegmentChange.causedByEventId("x", sequence), "x", sequence,
                "e-" + sequence, "NEEDS_ATTENTION", "NEW", 1, "NEW", SegmentChange.EVENT, LATER, LATER, LATER);
        mongo.insert(planted, SegmentStore.CHANGE_LOG);
        return planted;
    }

    /**
     * Another instance took the segment over while this one's batch was paused, and wrote the event's change and state
     * first: this batch's state is refused as overtaken, and the change the other one logged stays.
     */
    @Test
    void aChangeOfAnEventAnotherWriterStoredTheStateOfStays() {
        SegmentProjection projection = projection(store(), MUCH_LATER);
        SegmentChange others = new SegmentChange(SegmentChange.causedByEventId("x", 2), "x", 2, "e-2", "NEW",
                "NEEDS_ATTENTION", 1, "fallback", SegmentChange.EVENT, LATER, LATER, LATER);
        List<EventMessage<?>> batch = List.of(contact());
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.on((CustomerEvent) message.getPayload(), message, 2);
            // The other instance writes the event's change, then its state (at LATER: NEEDS_ATTENTION).
            mongo.insert(others, SegmentStore.CHANGE_LOG);
            EventEnvelope event = new EventEnvelope("e-2", 2, LATER, (CustomerEvent) message.getPayload());
            SegmentState theirs = SegmentLogic.assess(SegmentLogic.apply(store().find("x").orElseThrow(), event),
                    store().ruleBook().current(), LATER, LATER).withLogged(true);
            mongo.save(theirs, store().collection());
            projection.endOfBatch();
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);

        assertThat(changesOf("x")).containsExactly(others);
        assertThat(store().find("x").orElseThrow().segment()).isEqualTo("NEEDS_ATTENTION");
    }

    /** A segment released (a failed batch aborts its work package, another instance took it over) opens it again. */
    @Test
    void aReleasedSegmentsNextBatchesSupersedeAgain() {
        SegmentProjection projection = projection(store(), LATER, 1);
        handle(projection, List.of(contact()));
        handle(projection, List.of(contact(3)));
        SegmentChange first = changesOf("x").get(0);
        plantChangeOf(4);

        projection.segmentReleased();
        handle(projection, List.of(contact(4)));

        assertThat(changesOf("x")).containsExactly(first);
    }

    /** The first delivery writes its changes and states, then the states are put back as they were: a lost write. */
    private void deliverAndLoseTheStates(Instant now) {
        SegmentStore store = store();
        handle(projection(store, now), List.of(contact()));
        mongo.getCollection(store.collection()).replaceOne(Filters.eq("_id", "x"), storedBefore);
    }

    /** A store as a query side made anew opens it, remembering nothing written before. */
    private SegmentStore store() {
        return new SegmentStore(mongo, new ProjectionVersion("segment", 1), new FxRates("EUR", Map.of()),
                SegmentForecaster.NONE, () -> true);
    }

    private static SegmentProjection projection(SegmentStore store, Instant now) {
        return projection(store, now, 1024);
    }

    private static SegmentProjection projection(SegmentStore store, Instant now, int largestBatch) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ReadModelVersions versions = new ReadModelVersions(Duration.ofSeconds(1));
        return new SegmentProjection(store.version(), store, new SegmentReevaluation(clock, Clock.systemUTC(), versions),
                clock, versions, SimpleQueryUpdateEmitter.builder().build(), () -> true, largestBatch);
    }


    private static EventMessage<?> contact() {
        return contact(2);
    }

    private static EventMessage<?> contact(long sequence) {
        return SegmentBatches.contact("x", sequence);
    }

    private List<SegmentChange> changesOf(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), SegmentChange.class,
                SegmentStore.CHANGE_LOG).stream().sorted(SegmentChange.LOG_ORDER).toList();
    }
}
