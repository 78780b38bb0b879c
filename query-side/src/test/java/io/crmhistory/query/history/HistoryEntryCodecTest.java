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
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timeline items are written through the driver with {@link HistoryEntryCodec} and read through Spring Data: the
 * codec must write, for every kind of item, the document Spring Data's converter makes of it.
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

    @Test
    void anItemReadWithTheCodecIsTheItemWritten() {
        HistoryEntryCodec codec = new HistoryEntryCodec(mongo.getDb().getCodecRegistry());
        for (HistoryEntry entry : everyKindOfItem()) {
            BsonDocument encoded = new BsonDocument();
            codec.encode(new BsonDocumentWriter(encoded), entry, EncoderContext.builder().build());
            assertThat(codec.decode(new BsonDocumentReader(encoded),
                    DecoderContext.builder().build())).isEqualTo(entry);
        }
    }

    private BsonDocument bson(Document document) {
        return document.toBsonDocument(BsonDocument.class, mongo.getDb().getCodecRegistry());
    }
}
