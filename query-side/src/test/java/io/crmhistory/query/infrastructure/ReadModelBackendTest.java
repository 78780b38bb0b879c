package io.crmhistory.query.infrastructure;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadModelBackendTest {

    @TempDir
    Path dir;

    @Test
    void documentsComeBackExactlyAsStored() {
        Document nested = new Document("amount", new de.bwaldvogel.mongo.bson.Decimal128(12345, 0))
                .append("tags", List.of("a", 2, 3.5, true));
        Document document = new Document("_id", "c-1").append("int", 7).append("long", 9_000_000_000L)
                .append("double", 0.25).append("text", "Ada Lovelace").append("at", Instant.parse("2025-06-01T09:00:00Z"))
                .append("oid", new ObjectId()).append("none", null).append("nested", nested);
        WriteBuffer buffer = new WriteBuffer();
        DocumentType.INSTANCE.write(buffer, document);
        DocumentType.INSTANCE.write(buffer, new Document("_id", "c-2"));

        java.nio.ByteBuffer bytes = buffer.getBuffer().flip();
        assertThat(DocumentType.INSTANCE.read(bytes)).isEqualTo(document);
        assertThat(DocumentType.INSTANCE.read(bytes)).isEqualTo(new Document("_id", "c-2"));
        assertThat(bytes.hasRemaining()).isFalse();
    }

    @Test
    void indexKeysAreOrderedByValueAndToldApartExactlyAsByEquals() {
        IndexKeyType type = IndexKeyType.INSTANCE;
        assertThat(type.compare(new KeyValue("c-1"), new KeyValue("c-2"))).isNegative();
        assertThat(type.compare(new KeyValue(2), new KeyValue("a"))).isNegative();
        assertThat(type.compare(new KeyValue("a", 1), new KeyValue("a", 1))).isZero();
        int oneAgainstOnePointZero = type.compare(new KeyValue(1), new KeyValue(1.0));
        assertThat(oneAgainstOnePointZero).isNotZero()
                .isEqualTo(-type.compare(new KeyValue(1.0), new KeyValue(1)));
    }

    @Test
    void aCrashKeepsExactlyTheLastCommitWithDocumentsAndIndexesInAgreement() {
        Path file = dir.resolve("readmodel.mv");
        MVStore store = open(file);
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1));
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            customers.insertMany(documents(0, 100));
            customers.replaceOne(Filters.eq("_id", "c-5"), new org.bson.Document("_id", "c-5").append("n", -5));
            backend.commit();
            customers.insertMany(documents(100, 200));
            customers.replaceOne(Filters.eq("_id", "c-6"), new org.bson.Document("_id", "c-6").append("n", -6));
        }
        store.closeImmediately(); // what a SIGKILL leaves: nothing after the last commit
        server.shutdownNow();

        MVStore reopened = open(file);
        ReadModelBackend recovered = new ReadModelBackend(reopened, Duration.ofHours(1));
        MongoServer restarted = new MongoServer(recovered);
        InetSocketAddress again = restarted.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + again.getHostString() + ":" + again.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            assertThat(customers.countDocuments()).isEqualTo(100);
            assertThat(customers.find(Filters.eq("_id", "c-5")).first().getInteger("n")).isEqualTo(-5);
            assertThat(customers.find(Filters.eq("_id", "c-6")).first().getInteger("n")).isEqualTo(6);
            // The index agrees with the documents: the lost ones can be written again, the kept ones are unique.
            customers.insertMany(documents(100, 200));
            customers.replaceOne(Filters.eq("_id", "c-150"), new org.bson.Document("_id", "c-150").append("n", 0),
                    new ReplaceOptions().upsert(true));
            assertThat(customers.countDocuments()).isEqualTo(200);
            assertThatThrownBy(() -> customers.insertOne(new org.bson.Document("_id", "c-7")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
        } finally {
            restarted.shutdown();
        }
    }

    @Test
    void aCleanCloseKeepsEverything() {
        Path file = dir.resolve("closed.mv");
        for (int round = 0; round < 3; round++) {
            MVStore store = open(file);
            ReadModelBackend backend = new ReadModelBackend(store, Duration.ofMillis(50));
            MongoServer server = new MongoServer(backend);
            InetSocketAddress address = server.bind();
            try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
                MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
                assertThat(customers.countDocuments()).isEqualTo(round * 2000L);
                customers.insertMany(documents(round * 2000, round * 2000 + 2000));
            }
            server.shutdown();
            assertThat(store.isClosed()).isTrue();
        }
    }

    private static MVStore open(Path file) {
        return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0)
                .encryptionKey("test-only".toCharArray()).open();
    }

    private static List<org.bson.Document> documents(int from, int to) {
        List<org.bson.Document> documents = new ArrayList<>();
        IntStream.range(from, to).forEach(i -> documents.add(new org.bson.Document("_id", "c-" + i).append("n", i)));
        return documents;
    }
}
