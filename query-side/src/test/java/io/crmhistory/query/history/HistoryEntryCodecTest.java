package io.crmhistory.query.history;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.query.HistoryItemType;
import io.crmhistory.api.money.Money;
import io.crmhistory.query.infrastructure.ReadModelTemplates;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.ProjectionVersion;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Timeline items are written and read through the driver with {@link HistoryEntryCodec}: the codec must write, for
 * every kind of item, the document Spring Data's converter makes of it, and read what Spring Data would read.
 */
class HistoryEntryCodecTest {

    private InProcessMongo server;
    private MongoTemplate mongo;
    private HistoryStore store;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = ReadModelTemplates.configuredLikeTheQuerySide(server.client());
        store = new HistoryStore(mongo, new ProjectionVersion("history", 1));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One customer's timeline with an item of every type, money in two currencies (one without a rate). */
    static List<HistoryEntry> everyKindOfItem() {
        return HistoryLogicTest.entries(Events.of("c-1").registered("Ada", "ada@example.com", "2025-01-01T00:00:00Z")
                .profileUpdated("Ada B", null, "2025-01-02T00:00:00Z")
                .contact("k-1", ContactChannel.EMAIL, "2025-01-03T00:00:00Z")
                .purchase("o-1", "100.00", "EUR", "2025-02-01T00:00:00.250Z")
                .add(new PurchaseRecorded("c-1", "o-2", Money.of("3", "JPY"),
                        List.of(new PurchaseLine("sku-1", 3, Money.of("1", "JPY"))), null,
                        Events.at("2025-02-02T00:00:00Z")))
                .refund("o-1", "r-1", "40.00", "EUR", "2025-04-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.PROSPECT, "2025-04-05T00:00:00Z")
                .add(new CustomerPersonalDataErased("c-1", "asked", Events.at("2025-05-01T00:00:00Z"))));
    }

    @Test
    void everyKindOfItemIsStoredAsSpringDataWouldStoreItAndReadsBackTheSame() {
        List<HistoryEntry> entries = everyKindOfItem();
        assertThat(entries).extracting(HistoryEntry::type).containsAll(
                Arrays.stream(HistoryItemType.values()).map(Enum::name)
                        .filter(type -> !type.equals(HistoryItemType.SEGMENT_CHANGED.name())).toList());

        store.states().writeSideDocuments(entries);

        for (HistoryEntry entry : entries) {
            Document bySpring = new Document();
            mongo.getConverter().write(entry, bySpring);
            Document stored = mongo.getCollection(HistoryStore.ITEMS).find(new Document("_id", entry.id())).first();
            assertThat(stored).as(entry.type()).isNotNull();
            assertThat(bson(stored)).as(entry.type()).isEqualTo(bson(bySpring));
            assertThat(mongo.findById(entry.id(), HistoryEntry.class, HistoryStore.ITEMS)).isEqualTo(entry);
        }
    }

    /** A page read through the codec is what Spring Data reads, in the page's order. */
    @Test
    void aPageReadsEveryKindOfItemAsSpringDataReadsIt() {
        List<HistoryEntry> entries = everyKindOfItem();
        store.states().writeSideDocuments(entries);

        for (boolean descending : List.of(false, true)) {
            Sort.Direction direction = descending ? Sort.Direction.DESC : Sort.Direction.ASC;
            List<HistoryEntry> bySpring = mongo.find(Query.query(Criteria.where("customerId").is("c-1"))
                    .with(Sort.by(direction, "occurredAt", "_id")), HistoryEntry.class, HistoryStore.ITEMS);
            List<HistoryEntry> page = store.page("c-1", List.of(), List.of(), null, null, null, null, descending, 100);
            assertThat(page).hasSize(entries.size()).isEqualTo(bySpring);
            // Spring Data reads details in the order they were stored; so does the codec (maps compare without it).
            assertThat(page).extracting(HistoryEntryCodecTest::detailsInOrder)
                    .isEqualTo(bySpring.stream().map(HistoryEntryCodecTest::detailsInOrder).toList());
        }
    }

    /** An item as an older version stored it (Spring Data's type hint, no channel, no details) reads the same way. */
    @Test
    void anItemStoredByAnOlderVersionReadsAsSpringDataReadsIt() {
        mongo.getCollection(HistoryStore.ITEMS).insertOne(new Document("_id", "c-1/00000000000000000001/e")
                .append("customerId", "c-1").append("sequence", 1).append("eventId", "e-1")
                .append("type", "REGISTERED").append("occurredAt", Date.from(Instant.parse("2025-01-01T00:00:00Z")))
                .append("_class", "io.crmhistory.query.history.HistoryEntry"));

        assertThat(store.page("c-1", List.of(), List.of(), null, null, null, null, false, 10))
                .isEqualTo(mongo.findAll(HistoryEntry.class, HistoryStore.ITEMS))
                .extracting(HistoryEntry::sequence, HistoryEntry::channel).containsExactly(tuple(1L, null));
    }

    @Test
    void anItemReadWithTheCodecIsTheItemWritten() {
        HistoryEntryCodec codec = new HistoryEntryCodec(mongo.getDb().getCodecRegistry());
        for (HistoryEntry entry : everyKindOfItem()) {
            BsonDocument encoded = new BsonDocument();
            codec.encode(new BsonDocumentWriter(encoded), entry, EncoderContext.builder().build());
            HistoryEntry decoded = codec.decode(new BsonDocumentReader(encoded), DecoderContext.builder().build());
            assertThat(decoded).isEqualTo(entry);
            assertThat(detailsInOrder(decoded)).as(entry.type()).isEqualTo(detailsInOrder(entry));
        }
    }

    /** The details with their fields in iteration order, nested ones included (a map's toString follows it). */
    private static String detailsInOrder(HistoryEntry entry) {
        return String.valueOf(entry.details());
    }

    private BsonDocument bson(Document document) {
        return document.toBsonDocument(BsonDocument.class, mongo.getDb().getCodecRegistry());
    }
}
