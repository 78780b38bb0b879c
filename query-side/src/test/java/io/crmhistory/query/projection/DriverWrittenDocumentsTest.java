package io.crmhistory.query.projection;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.directory.DirectoryState;
import io.crmhistory.query.history.HistoryState;
import io.crmhistory.query.infrastructure.ReadModelTemplates;
import io.crmhistory.query.segment.SegmentAssessment;
import io.crmhistory.query.segment.SegmentChange;
import io.crmhistory.query.segment.SegmentState;
import io.crmhistory.query.value.ValueState;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read models' states and segment changes are written through the driver's record codec and read through Spring
 * Data: each must be stored as the document Spring Data's converter makes of it (empty and full, nulls left out,
 * money as Decimal128, times as dates, an id that reads as an ObjectId as a string) and read back equal.
 */
class DriverWrittenDocumentsTest {

    private static final Instant AT = Instant.parse("2025-01-01T00:00:00.123Z");
    private static final String OBJECT_ID_LIKE = "507f1f77bcf86cd799439011";

    private InProcessMongo server;
    private MongoTemplate mongo;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = ReadModelTemplates.configuredLikeTheQuerySide(server.client());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void valueStates() {
        assertStoredAsSpringDataStoresThem(ValueState.class, List.of(ValueState.empty(OBJECT_ID_LIKE),
                new ValueState("c-1", 3, Map.of(
                        "EUR", new ValueState.Totals(new BigDecimal("10.50"), BigDecimal.ZERO, 2, 0),
                        "USD", new ValueState.Totals(BigDecimal.ONE, new BigDecimal("0.25"), 1, 1)), AT, AT, 1, null,
                        List.of(new ValueState.Movement(AT, "EUR", new BigDecimal("-1.5"))))));
    }

    @Test
    void segmentStates() {
        assertStoredAsSpringDataStoresThem(SegmentState.class, List.of(SegmentState.empty(OBJECT_ID_LIKE),
                new SegmentState("c-1", 3, CustomerStatus.ACTIVE, 2, Map.of("EUR", new BigDecimal("3.10")), AT,
                        List.of(AT), List.of(new SegmentState.Purchase(AT, "EUR", BigDecimal.ONE)),
                        new SegmentAssessment("VIP", 2, "big", 1, 2, 3, new BigDecimal("3.10"), 5L, 0, AT), AT,
                        false)));
    }

    @Test
    void directoryStates() {
        assertStoredAsSpringDataStoresThem(DirectoryState.class, List.of(DirectoryState.empty(OBJECT_ID_LIKE),
                new DirectoryState("c-1", 3, "Ada", "ada@example.com", null, "DE", "web", CustomerStatus.ACTIVE, AT, 2,
                        Map.of("EUR", BigDecimal.TEN), BigDecimal.TEN, AT, "ada", "ada@example.com", AT, false,
                        new BigDecimal("2.5"), new ValueForecast(1, 52, 0.5, null, "1.00", "2.00"), "VIP")));
    }

    @Test
    void historyStates() {
        assertStoredAsSpringDataStoresThem(HistoryState.class, List.of(HistoryState.empty(OBJECT_ID_LIKE),
                new HistoryState("c-1", 4, Map.of("EUR", new BigDecimal("1.00"), "JPY", new BigDecimal("500")))));
    }

    @Test
    void segmentChanges() {
        List<SegmentChange> changes = List.of(
                new SegmentChange("c-1/0000000000000000001/s", "c-1", 1, "e-1", null, "NEW", 3, null,
                        SegmentChange.EVENT, AT, AT, null),
                new SegmentChange("c-1/0000000000000000002/s", "c-1", 2, "e-2", "NEW", "VIP", 3, "big",
                        SegmentChange.EVENT, AT, AT, AT));
        SideDocuments.of(mongo, "changes", SegmentChange.class, SegmentChange::id).insert(changes);

        for (SegmentChange change : changes) {
            assertStoredAsSpringDataStoresIt("changes", change.id(), change);
            assertThat(mongo.findById(change.id(), SegmentChange.class, "changes")).isEqualTo(change);
        }
    }

    private <S extends SequencedState> void assertStoredAsSpringDataStoresThem(Class<S> type, List<S> states) {
        MongoStateStore<S> store = new MongoStateStore<>(mongo, type, "states");
        ProjectionBatch<S> batch = new ProjectionBatch<>();
        states.forEach(batch::put);
        store.write(batch);

        assertThat(mongo.getCollection("states").countDocuments()).isEqualTo(states.size());
        for (S state : states) {
            assertStoredAsSpringDataStoresIt("states", state.id(), state);
        }
        assertThat(store.loadStored(states.stream().map(SequencedState::id).toList()).values())
                .containsExactlyInAnyOrderElementsOf(states);
    }

    private void assertStoredAsSpringDataStoresIt(String collection, String id, Object value) {
        Document bySpring = new Document();
        mongo.getConverter().write(value, bySpring);
        assertThat(bySpring.get("_id")).isEqualTo(id);
        Document stored = mongo.getCollection(collection).find(new Document("_id", id)).first();
        assertThat(stored).as(id).isNotNull();
        assertThat(bson(stored)).as(id).isEqualTo(bson(bySpring));
    }

    private BsonDocument bson(Document document) {
        return document.toBsonDocument(BsonDocument.class, mongo.getDb().getCodecRegistry());
    }
}
