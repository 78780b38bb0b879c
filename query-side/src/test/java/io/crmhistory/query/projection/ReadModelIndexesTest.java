package io.crmhistory.query.projection;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.embeddedmongo.ReadModelBackend;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Indexes kept only for an order exist where the store walks them, and nowhere else, also after an upgrade. */
class ReadModelIndexesTest {

    private static final String COLLECTION = "directory_customers_v1";
    private static final Index BY_REVENUE = new Index().on("netRevenue", Sort.Direction.ASC).on("_id", Sort.Direction.ASC);
    private static final Index BY_SEGMENT = new Index().on("segment", Sort.Direction.ASC);

    @TempDir
    Path dir;

    @Test
    void anOrderIndexLeftByAnEarlierVersionIsDroppedFromTheEmbeddedStoreForGood() {
        onStore(mongo -> {
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-1").append("netRevenue", 10)
                    .append("segment", "LOYAL"));
            mongo.indexOps(COLLECTION).createIndex(BY_REVENUE);
            mongo.indexOps(COLLECTION).createIndex(BY_SEGMENT);

            new ReadModelIndexes(false).ensureOrderIndex(mongo.indexOps(COLLECTION), BY_REVENUE);

            assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("segment"));
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-2").append("netRevenue", 10)
                    .append("segment", "LOYAL"));
            assertThat(mongo.find(Query.query(Criteria.where("segment").is("LOYAL")), Document.class, COLLECTION))
                    .hasSize(2);
        });
        onStore(mongo -> assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("segment")));
    }

    @Test
    void anOrderIndexIsCreatedWhereTheStoreWalksIndexesInOrder() {
        onStore(mongo -> {
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-1"));

            new ReadModelIndexes(true).ensureOrderIndex(mongo.indexOps(COLLECTION), BY_REVENUE);

            assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("netRevenue", "_id"));
        });
    }

    private static List<List<String>> indexedFields(MongoTemplate mongo) {
        return mongo.indexOps(COLLECTION).getIndexInfo().stream()
                .map(IndexInfo::getIndexFields)
                .map(fields -> fields.stream().map(field -> field.getKey()).toList())
                .toList();
    }

    /** The embedded store on this test's file, opened for {@code use} and closed after it (a restart between two calls). */
    private void onStore(Consumer<MongoTemplate> use) {
        ReadModelBackend backend = ReadModelBackend.withDefaults(
                ReadModelBackend.storeBuilder(dir.resolve("readmodel.mv").toString(), 16).open());
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            use.accept(new MongoTemplate(client, "crm"));
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }
}
