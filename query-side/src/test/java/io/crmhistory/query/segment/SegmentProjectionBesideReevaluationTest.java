package io.crmhistory.query.segment;

import io.crmhistory.query.projection.InProcessMongo;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily re-evaluation runs on a thread of its own while the segment projection handles a batch. A batch loads
 * the states of all its customers at its first event; a re-evaluation page written after that was overwritten by the
 * batch's stale copies, and the customer's move was recorded twice (once by the run, once by the event).
 */
class SegmentProjectionBesideReevaluationTest {

    static final Instant ASSESSED = Instant.parse("2026-01-01T00:00:00Z");
    /** 152 days on: a buyer of twelve days before {@link #ASSESSED} is no longer NEW. */
    static final Instant LATER = Instant.parse("2026-06-01T00:00:00Z");

    private InProcessMongo server;
    private MongoTemplate mongo;
    private SegmentStore store;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = new MongoTemplate(server.client(), "test");
        store = new SegmentStore(mongo, new ProjectionVersion("segment", 1), new FxRates("EUR", Map.of()),
                SegmentForecaster.NONE, () -> true);
        for (String customer : List.of("x", "y")) {
            SegmentState state = null;
            for (EventEnvelope envelope : Events.of(customer).registered("C", null, "2023-06-01T00:00:00Z")
                    .purchase("o-" + customer, "40.00", "EUR", "2025-12-20T00:00:00Z").envelopes()) {
                state = SegmentLogic.apply(state, envelope);
            }
            mongo.insert(SegmentLogic.assess(state, store.ruleBook().current(), ASSESSED, ASSESSED), store.collection());
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aReevaluationBesideABatchRecordsEachMoveOnce() throws Exception {
        Clock clock = Clock.fixed(LATER, ZoneOffset.UTC);
        ReadModelVersions versions = new ReadModelVersions(Duration.ofSeconds(1));
        SegmentReevaluation reevaluation = new SegmentReevaluation(clock, Clock.systemUTC(), versions);
        SegmentProjection projection = new SegmentProjection(new ProjectionVersion("segment", 1), store, reevaluation,
                clock, versions, SimpleQueryUpdateEmitter.builder().build(), () -> true, 1024);
        List<EventMessage<?>> batch = List.of(contact("y"), contact("x"));
        CompletableFuture<Long> daily = new CompletableFuture<>();

        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.on((CustomerEvent) message.getPayload(), message, 2);
            projection.endOfBatch();
            if (message == batch.get(0)) {
                // The daily run starts after the batch loaded x's state and before it handles x's event.
                CompletableFuture.runAsync(() -> daily.complete(reevaluation.reevaluateAll(store, SegmentChange.TIME,
                        LATER)));
                try {
                    daily.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException waitingForTheBatch) {
                    // as it should: its page waits until this batch has ended
                }
            }
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        daily.get(30, TimeUnit.SECONDS);

        for (String customer : List.of("x", "y")) {
            List<SegmentChange> changes = mongo.find(Query.query(Criteria.where("customerId").is(customer)),
                    SegmentChange.class, store.changes());
            SegmentState state = store.states().loadStored(List.of(customer)).get(customer);
            assertThat(changes).as(customer + ": " + changes).hasSize(1);
            assertThat(changes.get(0).from()).isEqualTo("NEW");
            assertThat(changes.get(0).to()).isEqualTo(state.segment()).isNotEqualTo("NEW");
        }
    }

    private static EventMessage<?> contact(String customer) {
        CustomerEvent event = Events.of(customer).contact("k-" + customer, ContactChannel.EMAIL, "2026-05-30T00:00:00Z")
                .last().event();
        return new GenericDomainEventMessage<>("Customer", customer, 2, event);
    }
}
