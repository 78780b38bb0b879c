package io.crmhistory.query.projection;

import io.crmhistory.api.customer.event.CustomerEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A read model's store, through the projector that uses it.
 * <ul>
 *     <li>It answers a batch's loads from the states it wrote last, and must never answer with one the collection
 *     has moved past: after another writer's update it is told to forget, after a failed write it forgets by itself,
 *     and the projector reads afresh a state that misses an event or after its processor released the segment.</li>
 *     <li>A batch's write is two bulk writes (side documents, states), and a crash can come between them. Whichever
 *     of the two fails, the redelivered event must leave its side document written: a state stored ahead of its
 *     side documents would make the redelivery skip the event and lose them for good.</li>
 * </ul>
 */
class MongoStateStoreTest {

    /** A read model's state reduced to what the rules need: how many events it folded. */
    public record Tally(@BsonId String id, long lastSequence, int events) implements SequencedState {
    }

    /** A history item, say; {@code tag} is unique so that a test can make one write refuse it. */
    public record Item(@BsonId String id, String tag) {
    }

    private static final String COLLECTION = "tallies";
    private static final String ITEMS = "items";

    private InProcessMongo server;
    private MongoTemplate mongo;
    private MongoStateStore<Tally> store;
    private CustomerProjector<Tally> projector;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = server.template();
        store = new MongoStateStore<>(mongo, Tally.class, COLLECTION, SideDocuments.of(mongo, ITEMS, Item.class, Item::id));
        projector = new CustomerProjector<>(new ProjectionVersion("tallies", 1), store,
                new ReadModelVersions(Duration.ofSeconds(1)), SimpleQueryUpdateEmitter.builder().build(), () -> true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void loadsAnswerWithTheStatesWrittenLastUntilTheyAreForgotten() {
        write(new Tally("c-1", 0, 1), new Tally("c-2", 0, 1));
        changeBehindTheStore(new Tally("c-1", 0, 50));
        changeBehindTheStore(new Tally("c-2", 0, 60));

        assertThat(store.load(List.of("c-1", "c-2"))).containsValues(new Tally("c-1", 0, 1), new Tally("c-2", 0, 1));
        assertThat(store.loadStored(List.of("c-1"))).containsValue(new Tally("c-1", 0, 50));

        store.forget(List.of("c-1"));
        assertThat(store.load(List.of("c-1", "c-2"))).containsValues(new Tally("c-1", 0, 50), new Tally("c-2", 0, 1));
        store.forgetAll();
        assertThat(store.load(List.of("c-2"))).containsValue(new Tally("c-2", 0, 60));
    }

    /**
     * An in-place change made on another instance (a daily re-evaluation claimed by a standby) cannot reach this
     * instance's memory: the next batch here forgets what it remembers. Its own changes forget only their customers.
     */
    @Test
    void aChangeMadeInPlaceOnAnotherInstanceIsNotAnsweredFromMemory() {
        MongoStateStore<Tally> otherInstance = new MongoStateStore<>(mongo, Tally.class, COLLECTION);
        write(new Tally("c-1", 0, 1), new Tally("c-2", 0, 1));
        store.releaseAfterBatch();

        otherInstance.betweenBatches(() -> {
            mongo.updateFirst(Query.query(Criteria.where("_id").is("c-1")), new Update().set("events", 50), COLLECTION);
            otherInstance.forget(List.of("c-1"));
            return null;
        });
        store.holdForBatch();
        assertThat(store.load(List.of("c-1"))).containsValue(new Tally("c-1", 0, 50));
        store.releaseAfterBatch();

        write(new Tally("c-3", 0, 1));
        store.releaseAfterBatch();
        mongo.updateFirst(Query.query(Criteria.where("_id").is("c-3")), new Update().set("events", 70), COLLECTION);
        store.betweenBatches(() -> {
            mongo.updateFirst(Query.query(Criteria.where("_id").is("c-2")), new Update().set("events", 60), COLLECTION);
            store.forget(List.of("c-2"));
            return null;
        });
        store.holdForBatch();
        assertThat(store.load(List.of("c-2", "c-3"))).as("its own change forgets its customer only")
                .containsValues(new Tally("c-2", 0, 60), new Tally("c-3", 0, 1));
        store.releaseAfterBatch();
    }

    @Test
    void aFailedWriteForgetsTheStatesItMeantToWrite() {
        mongo.indexOps(COLLECTION).createIndex(new Index().on("events", Sort.Direction.ASC).unique());
        write(new Tally("c-1", 0, 1));

        assertThatThrownBy(() -> write(new Tally("c-1", 1, 2), new Tally("c-2", 0, 2)))
                .isInstanceOf(DataAccessException.class);

        // One of the two was stored, the other refused: each is loaded as the collection has it.
        assertThat(store.load(List.of("c-1", "c-2"))).isEqualTo(store.loadStored(List.of("c-1", "c-2")));
    }

    /**
     * A writer that lost its claim in the middle of a batch (paused past the claim timeout) while another instance
     * took the customers further: its older state must not replace the newer one, or the other instance would apply
     * its next events on top of it and lose those in between for good.
     */
    @Test
    void aStateOlderThanTheStoredOneIsNotWrittenAndForgotten() {
        MongoStateStore<Tally> otherInstance = new MongoStateStore<>(mongo, Tally.class, COLLECTION,
                SideDocuments.of(mongo, ITEMS, Item.class, Item::id));
        ProjectionBatch<Tally> newer = new ProjectionBatch<>();
        newer.put(new Tally("c-1", 7, 8));
        otherInstance.write(newer);

        write(new Tally("c-1", 6, 7), new Tally("c-2", 0, 1));

        assertThat(store.loadStored(List.of("c-1", "c-2"))).containsValues(new Tally("c-1", 7, 8), new Tally("c-2", 0, 1));
        assertThat(store.load(List.of("c-1"))).as("the stale state is not remembered").containsValue(new Tally("c-1", 7, 8));
    }

    /** A customer id that reads as an ObjectId (24 hexadecimal digits) is stored, found and replaced as a string. */
    @Test
    void aStateWhoseIdReadsAsAnObjectIdIsStoredAsAString() {
        String id = "507f1f77bcf86cd799439011";
        write(new Tally(id, 0, 1));
        store.forgetAll();
        write(new Tally(id, 1, 2));

        assertThat(mongo.getCollection(COLLECTION).find().map(document -> document.get("_id")))
                .containsExactly(id);
        assertThat(store.loadStored(List.of(id))).containsValue(new Tally(id, 1, 2));
        assertThat(store.find(id)).contains(new Tally(id, 1, 2));
        assertThat(store.page(null, 10)).containsExactly(new Tally(id, 1, 2));
    }

    /** A state stored under an ObjectId (as Spring Data stored such an id once) moves to its string id on opening. */
    @Test
    void aStateStoredUnderAnObjectIdIsRewrittenUnderItsStringWhenTheStoreOpens() {
        storeUnderAnObjectId(mongo, "507f1f77bcf86cd799439011", 4);
        mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-1").append("lastSequence", 0L)
                .append("events", 1));

        MongoStateStore<Tally> reopened = new MongoStateStore<>(mongo, Tally.class, COLLECTION);

        assertThat(mongo.getCollection(COLLECTION).find().map(document -> document.get("_id")))
                .containsExactlyInAnyOrder("507f1f77bcf86cd799439011", "c-1");
        assertThat(reopened.loadStored(List.of("507f1f77bcf86cd799439011")))
                .containsValue(new Tally("507f1f77bcf86cd799439011", 4, 5));
    }

    private static void storeUnderAnObjectId(MongoTemplate mongo, String id, long lastSequence) {
        mongo.getCollection(COLLECTION).insertOne(new Document("_id", new ObjectId(id))
                .append("lastSequence", lastSequence).append("events", (int) lastSequence + 1));
    }

    /**
     * The same on the embedded store, whose id index walks only the ObjectIds; an interrupted rewrite (the string
     * stored, the ObjectId not yet removed) is finished, and the string's state kept.
     */
    @Test
    void objectIdsAreRewrittenOnTheEmbeddedStoreAndAnInterruptedRewriteIsFinished(@TempDir Path dir) {
        EmbeddedStoreOnFile.use(dir.resolve("readmodels"), embedded -> {
            storeUnderAnObjectId(embedded, "507f1f77bcf86cd799439011", 4);
            storeUnderAnObjectId(embedded, "507f1f77bcf86cd799439012", 2);
            embedded.getCollection(COLLECTION).insertOne(new Document("_id", "507f1f77bcf86cd799439012")
                    .append("lastSequence", 2L).append("events", 3));

            MongoStateStore<Tally> reopened = new MongoStateStore<>(embedded, Tally.class, COLLECTION);

            assertThat(embedded.getCollection(COLLECTION).find().map(document -> document.get("_id")))
                    .containsExactlyInAnyOrder("507f1f77bcf86cd799439011", "507f1f77bcf86cd799439012");
            assertThat(reopened.page(null, 10)).containsExactly(new Tally("507f1f77bcf86cd799439011", 4, 5),
                    new Tally("507f1f77bcf86cd799439012", 2, 3));
        });
    }

    /** The same on the embedded store the query side runs, whose id index answers such a conditional replace. */
    @Test
    void aStateOlderThanTheStoredOneIsNotWrittenOnTheEmbeddedStoreEither(@TempDir Path dir) {
        EmbeddedStoreOnFile.use(dir.resolve("readmodels"), embedded -> {
            MongoStateStore<Tally> one = new MongoStateStore<>(embedded, Tally.class, COLLECTION);
            MongoStateStore<Tally> other = new MongoStateStore<>(embedded, Tally.class, COLLECTION);
            ProjectionBatch<Tally> newer = new ProjectionBatch<>();
            newer.put(new Tally("c-1", 7, 8));
            other.write(newer);
            ProjectionBatch<Tally> stale = new ProjectionBatch<>();
            stale.put(new Tally("c-1", 6, 7));
            stale.put(new Tally("c-2", 0, 1));

            one.write(stale);

            assertThat(one.loadStored(List.of("c-1", "c-2"))).containsValues(new Tally("c-1", 7, 8),
                    new Tally("c-2", 0, 1));
        });
    }

    /**
     * A change made behind the projection (a refresh setting a field on an entry) while a batch holds the state it
     * loaded at its first event: it waits for the batch's write, or the batch's stale copy would undo it.
     */
    @Test
    void aChangeBetweenBatchesWaitsForTheBatchThatLoadedTheState() throws Exception {
        write(new Tally("c-1", 0, 1));
        List<GenericDomainEventMessage<CustomerEvent>> events = List.of(purchase("c-1", 1), purchase("c-1", 2));
        CompletableFuture<Void> refresh = new CompletableFuture<>();

        BatchingUnitOfWork<GenericDomainEventMessage<CustomerEvent>> batch = new BatchingUnitOfWork<>(events);
        batch.executeWithResult(() -> {
            GenericDomainEventMessage<CustomerEvent> event = batch.getMessage();
            projector.project(event, event.getSequenceNumber(), (state, envelope, ignored) ->
                    new Tally("c-1", envelope.sequence(), state.events() + 1));
            projector.endOfBatch();
            if (event == events.get(0)) {
                CompletableFuture.runAsync(() -> store.betweenBatches(() -> {
                    mongo.updateFirst(Query.query(Criteria.where("_id").is("c-1")), new Update().inc("events", 100),
                            COLLECTION);
                    store.forget(List.of("c-1"));
                    return null;
                })).thenRun(() -> refresh.complete(null));
                try {
                    refresh.get(500, TimeUnit.MILLISECONDS);
                } catch (TimeoutException waitingForTheBatch) {
                    // as it should
                }
            }
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        refresh.get(5, TimeUnit.SECONDS);

        assertThat(store.load(List.of("c-1"))).containsValue(new Tally("c-1", 2, 103));
    }

    @Test
    void aStateThatMissesEventsIsReadAfresh() {
        project("c-1", 0);
        project("c-1", 1);
        // Another instance applied events 2 and 3 while this one did not hold the segment.
        changeBehindTheStore(new Tally("c-1", 3, 40));

        project("c-1", 4);

        assertThat(store.loadStored(List.of("c-1"))).containsValue(new Tally("c-1", 4, 41));
    }

    /** A batch delivered again after some of its side documents were stored: the others are inserted. */
    @Test
    void sideDocumentsStoredBeforeAreKeptAndTheOthersInserted() {
        SideDocuments<Item> items = SideDocuments.of(mongo, ITEMS, Item.class, Item::id);
        items.insert(List.of(new Item("b", "first b"), new Item("d", "first d")));

        items.insert(List.of(new Item("a", "a"), new Item("b", "b"), new Item("c", "c"), new Item("d", "d"),
                new Item("e", "e")));

        assertThat(mongo.find(new Query().with(Sort.by("_id")), Item.class, ITEMS)).containsExactly(
                new Item("a", "a"), new Item("b", "first b"), new Item("c", "c"), new Item("d", "first d"),
                new Item("e", "e"));
    }

    @Test
    void aReleasedSegmentForgetsTheStatesOfTheBatchesBefore() {
        project("c-1", 0);
        changeBehindTheStore(new Tally("c-1", 0, 70));

        projector.segmentReleased();
        project("c-1", 1);

        assertThat(store.loadStored(List.of("c-1"))).containsValue(new Tally("c-1", 1, 71));
    }

    @Test
    void aRefusedSideDocumentLeavesTheStateBehindSoTheRedeliveryWritesIt() {
        project("c-1", 0);
        mongo.indexOps(ITEMS).createIndex(new Index().on("tag", Sort.Direction.ASC).unique());
        mongo.save(new Item("blocker", "c-1/1"), ITEMS);

        assertThatThrownBy(() -> project("c-1", 1)).isInstanceOf(ReadModelWriteException.class);
        assertThat(stateOf("c-1").lastSequence()).isZero();

        mongo.remove(Query.query(Criteria.where("_id").is("blocker")), ITEMS);
        project("c-1", 1);

        assertThat(itemIds()).containsExactly("c-1/0", "c-1/1");
        assertThat(stateOf("c-1")).isEqualTo(new Tally("c-1", 1, 2));
    }

    @Test
    void aRefusedStateIsWrittenWithTheSameSideDocumentOnRedelivery() {
        project("c-1", 0);
        mongo.indexOps(COLLECTION).createIndex(new Index().on("events", Sort.Direction.ASC).unique());
        mongo.save(new Tally("blocker", 0, 2), COLLECTION);

        assertThatThrownBy(() -> project("c-1", 1)).isInstanceOf(ReadModelWriteException.class);

        mongo.remove(Query.query(Criteria.where("_id").is("blocker")), COLLECTION);
        project("c-1", 1);

        assertThat(itemIds()).containsExactly("c-1/0", "c-1/1");
        assertThat(stateOf("c-1")).isEqualTo(new Tally("c-1", 1, 2));
    }

    /**
     * A store that writes its side documents early hands each {@value MongoStateStore#SIDE_DOCUMENTS_HANDED_OVER} of
     * them to its writer thread while the batch goes on, and writes the states only once every one of them is stored.
     */
    @Test
    void sideDocumentsHandedOverEarlyAreStoredBeforeTheBatchEndsAndTheStatesAfterThem() {
        CustomerProjector<Tally> early = projectorWritingSideDocumentsEarly();
        int handedOver = MongoStateStore.SIDE_DOCUMENTS_HANDED_OVER;

        projectBatch(early, "c-1", 2 * handedOver + 10, sequence -> {
            if (sequence == 2 * handedOver + 9) {
                // The batch's last event is yet to come: the first two hand-overs are stored by now, nothing else.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> mongo.getCollection(ITEMS).countDocuments() == 2L * handedOver);
                assertThat(stateOf("c-1")).isNull();
            }
        });

        assertThat(itemIds()).hasSize(2 * handedOver + 10);
        assertThat(stateOf("c-1")).isEqualTo(new Tally("c-1", 2 * handedOver + 9, 2 * handedOver + 10));
    }

    /** A refused document among those handed over fails the batch's write: the state stays behind for the redelivery. */
    @Test
    void aRefusedSideDocumentHandedOverEarlyLeavesTheStateBehind() {
        CustomerProjector<Tally> early = projectorWritingSideDocumentsEarly();
        int events = MongoStateStore.SIDE_DOCUMENTS_HANDED_OVER + 1;
        mongo.indexOps(ITEMS).createIndex(new Index().on("tag", Sort.Direction.ASC).unique());
        mongo.save(new Item("blocker", "c-1/3"), ITEMS);

        assertThatThrownBy(() -> projectBatch(early, "c-1", events, sequence -> { }))
                .isInstanceOf(ReadModelWriteException.class);
        assertThat(stateOf("c-1")).isNull();

        mongo.remove(Query.query(Criteria.where("_id").is("blocker")), ITEMS);
        projectBatch(early, "c-1", events, sequence -> { });

        assertThat(itemIds()).hasSize(events);
        assertThat(stateOf("c-1")).isEqualTo(new Tally("c-1", events - 1, events));
    }

    /**
     * A batch that fails after handing documents over ends only once they are stored, so none of them lands after
     * what the next batch writes (an erasure's scrub of the customer's items, say).
     */
    @Test
    void aBatchRolledBackAfterHandingOverEndsOnceTheyAreStored() {
        CustomerProjector<Tally> early = projectorWritingSideDocumentsEarly();
        int handedOver = MongoStateStore.SIDE_DOCUMENTS_HANDED_OVER;

        assertThatThrownBy(() -> projectBatch(early, "c-1", handedOver + 5, sequence -> {
            if (sequence == handedOver + 4) {
                throw new IllegalStateException("a poison event");
            }
        })).hasMessage("a poison event");

        assertThat(mongo.getCollection(ITEMS).countDocuments()).isEqualTo(handedOver);
        assertThat(stateOf("c-1")).isNull();
    }

    private CustomerProjector<Tally> projectorWritingSideDocumentsEarly() {
        MongoStateStore<Tally> early = new MongoStateStore<>(mongo, Tally.class, COLLECTION,
                SideDocuments.of(mongo, ITEMS, Item.class, Item::id), true);
        return new CustomerProjector<>(new ProjectionVersion("tallies", 1), early,
                new ReadModelVersions(Duration.ofSeconds(1)), SimpleQueryUpdateEmitter.builder().build(), () -> true);
    }

    /** Events 0 to {@code events - 1} of the customer in one batch, each making an item; {@code during} runs before each. */
    private static void projectBatch(CustomerProjector<Tally> projector, String customerId, int events,
                                     LongConsumer during) {
        List<GenericDomainEventMessage<CustomerEvent>> messages = LongStream.range(0, events)
                .mapToObj(sequence -> purchase(customerId, sequence)).toList();
        BatchingUnitOfWork<GenericDomainEventMessage<CustomerEvent>> batch = new BatchingUnitOfWork<>(messages);
        ResultMessage<?> result = batch.executeWithResult(() -> {
            GenericDomainEventMessage<CustomerEvent> event = batch.getMessage();
            during.accept(event.getSequenceNumber());
            String itemId = customerId + "/" + event.getSequenceNumber();
            projector.project(event, event.getSequenceNumber(), (state, envelope, ignored) -> {
                ignored.addSideDocument(new Item(itemId, itemId));
                return new Tally(customerId, envelope.sequence(), (state == null ? 0 : state.events()) + 1);
            });
            projector.endOfBatch();
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            throw result.exceptionResult() instanceof RuntimeException failure ? failure
                    : new IllegalStateException(result.exceptionResult());
        }
    }

    private Tally stateOf(String customerId) {
        return mongo.findById(customerId, Tally.class, COLLECTION);
    }

    private List<String> itemIds() {
        return mongo.find(new Query().with(Sort.by("_id")), Item.class, ITEMS).stream().map(Item::id).toList();
    }

    private void write(Tally... tallies) {
        ProjectionBatch<Tally> batch = new ProjectionBatch<>();
        for (Tally tally : tallies) {
            batch.put(tally);
        }
        store.write(batch);
    }

    private void changeBehindTheStore(Tally tally) {
        mongo.save(tally, COLLECTION);
    }

    private static GenericDomainEventMessage<CustomerEvent> purchase(String customerId, long sequence) {
        CustomerEvent event = Events.of(customerId).purchase("o-" + sequence, "10.00", "EUR", "2025-01-01T00:00:00Z")
                .last().event();
        return new GenericDomainEventMessage<>("Customer", customerId, sequence, event, Map.of());
    }

    /** One event outside a batch (as a dead letter's retry is): the projector writes it at once. */
    private void project(String customerId, long sequence) {
        CustomerEvent event = Events.of(customerId).purchase("o-" + sequence, "10.00", "EUR", "2025-01-01T00:00:00Z")
                .last().event();
        GenericDomainEventMessage<CustomerEvent> message =
                new GenericDomainEventMessage<>("Customer", customerId, sequence, event, Map.of());
        String itemId = customerId + "/" + sequence;
        DefaultUnitOfWork.startAndGet(message).execute(() -> projector.project(message, sequence,
                (state, envelope, batch) -> {
                    batch.addSideDocument(new Item(itemId, itemId));
                    return new Tally(customerId, envelope.sequence(), (state == null ? 0 : state.events()) + 1);
                }));
    }
}
