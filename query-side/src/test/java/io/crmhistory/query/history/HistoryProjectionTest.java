package io.crmhistory.query.history;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's state (the running net revenue) is stored when a purchase or refund changes it, and when the customer
 * is first seen; the other events' items are all that is written for them. The stored state then stays behind the
 * customer's events: a query side made anew, or a batch delivered again, goes on from it and must come to the same
 * items and figures, and a reader waiting for a version finds it by the item.
 */
class HistoryProjectionTest {

    private static final FxRates FX = new FxRates("EUR", Map.of());

    private final InProcessMongo server = new InProcessMongo();
    private final MongoTemplate mongo = server.template();
    private final List<EventMessage<?>> events = messages(Events.of("c")
            .registered("Ada", "ada@example.com", "2025-01-01T00:00:00Z")
            .contact("k-1", ContactChannel.EMAIL, "2025-01-02T00:00:00Z")
            .purchase("o-1", "30.00", "EUR", "2025-01-03T00:00:00Z")
            .contact("k-2", ContactChannel.PHONE, "2025-01-04T00:00:00Z")
            .contact("k-3", ContactChannel.PHONE, "2025-01-05T00:00:00Z")
            .refund("o-1", "r-1", "5.00", "EUR", "2025-01-06T00:00:00Z")
            .contact("k-4", ContactChannel.EMAIL, "2025-01-07T00:00:00Z")
            .purchase("o-2", "12.50", "EUR", "2025-01-08T00:00:00Z"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theStateIsStoredAtTheFirstEventAndWhenTheNetRevenueMoves() {
        HistoryStore store = store();
        HistoryProjection projection = projection(store);

        handle(projection, events.subList(0, 1));
        assertThat(store.find("c").orElseThrow().lastSequence()).isZero();
        handle(projection, events.subList(1, 2));
        assertThat(store.find("c").orElseThrow().lastSequence()).as("a contact changes no figure").isZero();
        handle(projection, events.subList(2, 5));
        assertThat(store.find("c").orElseThrow()).as("a batch with a purchase stores its last state")
                .isEqualTo(new HistoryState("c", 4, Map.of("EUR", new BigDecimal("30.00"))));

        handle(projection, events.subList(5, 7));
        assertThat(store.find("c").orElseThrow().lastSequence()).isEqualTo(6);
        assertThat(itemSequences(store)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    /** A query side made anew (nothing remembered) goes on from the state stored behind its events. */
    @Test
    void aQuerySideMadeAnewGoesOnFromTheStoredState() {
        handle(projection(store()), events.subList(0, 2));
        handle(projection(store()), events.subList(2, 4));
        handle(projection(store()), events.subList(4, 5));
        handle(projection(store()), events.subList(5, 8));

        assertThat(itemSequences(store())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(runningNet(store(), 7)).isEqualTo("37.50");
        assertThat(store().find("c").orElseThrow())
                .isEqualTo(new HistoryState("c", 7, Map.of("EUR", new BigDecimal("37.50"))));
    }

    /**
     * Batches delivered again from an earlier token (a crash before it was stored): the events after the stored
     * state are applied again, their items kept as stored, and nothing is counted twice.
     */
    @Test
    void batchesDeliveredAgainCountNothingTwice() {
        handle(projection(store()), events.subList(0, 3));
        handle(projection(store()), events.subList(3, 5));
        assertThat(store().find("c").orElseThrow().lastSequence()).isEqualTo(2);

        HistoryProjection again = projection(store());
        handle(again, events.subList(3, 6));
        handle(again, events.subList(3, 8));

        assertThat(itemSequences(store())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(runningNet(store(), 5)).isEqualTo("25.00");
        assertThat(runningNet(store(), 7)).isEqualTo("37.50");
    }

    @Test
    void aReaderWaitingForAVersionFindsItByTheItem() {
        HistoryStore store = store();
        assertThat(store.version("c", 0)).isEmpty();
        handle(projection(store), events.subList(0, 1));
        handle(projection(store), events.subList(1, 2));

        assertThat(store.find("c").orElseThrow().lastSequence()).isZero();
        assertThat(store.version("c", 1)).contains(1L);
        assertThat(store.version("c", 0)).contains(0L);
        assertThat(store.version("c", 2)).as("not there yet: how far the items got").contains(1L);
    }

    private HistoryStore store() {
        return new HistoryStore(mongo, new ProjectionVersion("history", 1));
    }

    private static HistoryProjection projection(HistoryStore store) {
        return new HistoryProjection(new ProjectionVersion("history", 1), store, FX,
                new ReadModelVersions(Duration.ofSeconds(1)), SimpleQueryUpdateEmitter.builder().build(),
                customerId -> { }, () -> true);
    }

    /** Handles the events in one batch (one unit of work), as the processor hands them. */
    private static void handle(HistoryProjection projection, List<EventMessage<?>> batch) {
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.on((CustomerEvent) message.getPayload(), message,
                    ((GenericDomainEventMessage<?>) message).getSequenceNumber());
            projection.endOfBatch();
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
    }

    private static List<EventMessage<?>> messages(Events events) {
        return events.envelopes().stream().<EventMessage<?>>map(HistoryProjectionTest::message).toList();
    }

    private static EventMessage<?> message(EventEnvelope envelope) {
        return new GenericDomainEventMessage<>("Customer", envelope.customerId(), envelope.sequence(),
                envelope.event(), Map.of());
    }

    private static List<Long> itemSequences(HistoryStore store) {
        return page(store).stream().map(HistoryEntry::sequence).toList();
    }

    @SuppressWarnings("unchecked")
    private static String runningNet(HistoryStore store, long sequence) {
        HistoryEntry item = page(store).stream().filter(entry -> entry.sequence() == sequence).findFirst().orElseThrow();
        return ((Map<String, Object>) item.details().get("runningNetRevenue")).get("value").toString();
    }

    private static List<HistoryEntry> page(HistoryStore store) {
        return store.page("c", List.of(), List.of(), null, null, null, null, false, 100);
    }
}
