package io.crmhistory.query.projection;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.crmhistory.api.customer.event.CustomerEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch's write is two bulk writes (side documents, states), and a crash can come between them. Whichever of the
 * two fails, the redelivered event must leave its side document written: a state stored ahead of its side documents
 * would make the redelivery skip the event and lose them for good.
 */
class PartialWriteTest {

    record Tally(@Id String id, long lastSequence, int events) implements SequencedState {
    }

    /** A history item, say; {@code tag} is unique so that a test can make one write refuse it. */
    record Item(@Id String id, String tag) {
    }

    private static final String STATES = "tallies";
    private static final String ITEMS = "items";

    private MongoServer server;
    private MongoClient client;
    private MongoTemplate mongo;
    private CustomerProjector<Tally> projector;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        mongo = new MongoTemplate(client, "test");
        MongoStateStore<Tally> store = new MongoStateStore<>(mongo, Tally.class, STATES, ITEMS,
                document -> ((Item) document).id());
        projector = new CustomerProjector<>(new ProjectionVersion("tallies", 1), store,
                new ReadModelVersions(Duration.ofSeconds(1)), SimpleQueryUpdateEmitter.builder().build(), () -> true);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
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
        mongo.indexOps(STATES).createIndex(new Index().on("events", Sort.Direction.ASC).unique());
        mongo.save(new Tally("blocker", 0, 2), STATES);

        assertThatThrownBy(() -> project("c-1", 1)).isInstanceOf(ReadModelWriteException.class);

        mongo.remove(Query.query(Criteria.where("_id").is("blocker")), STATES);
        project("c-1", 1);

        assertThat(itemIds()).containsExactly("c-1/0", "c-1/1");
        assertThat(stateOf("c-1")).isEqualTo(new Tally("c-1", 1, 2));
    }

    private Tally stateOf(String customerId) {
        return mongo.findById(customerId, Tally.class, STATES);
    }

    private List<String> itemIds() {
        return mongo.find(new Query().with(Sort.by("_id")), Item.class, ITEMS).stream().map(Item::id).toList();
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
