package io.crmhistory.query.projection;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Indexes kept only for an order exist on MongoDB, and on the embedded store only when kept everywhere, also after an
 * upgrade.
 */
class ReadModelIndexesTest {

    private static final String COLLECTION = "directory_customers_v1";
    private static final Index BY_REVENUE = new Index().on("netRevenue", Sort.Direction.ASC).on("_id", Sort.Direction.ASC);
    private static final Index BY_NAME = new Index().on("nameKey", Sort.Direction.ASC).on("_id", Sort.Direction.ASC);
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

            new ReadModelIndexes(false).ensureOrderIndexes(mongo, COLLECTION, List.of(BY_REVENUE));

            assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("segment"));
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-2").append("netRevenue", 10)
                    .append("segment", "LOYAL"));
            assertThat(mongo.find(Query.query(Criteria.where("segment").is("LOYAL")), Document.class, COLLECTION))
                    .hasSize(2);
        });
        onStore(mongo -> assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("segment")));
    }

    @Test
    void anOrderIndexKeptEverywhereIsCreatedOnTheEmbeddedStore() {
        onStore(mongo -> {
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-1"));

            new ReadModelIndexes(false).ensureOrderIndexes(mongo, COLLECTION, List.of(BY_REVENUE), List.of(BY_NAME));

            assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("netRevenue", "_id"));
        });
    }

    @Test
    void everyOrderIndexIsCreatedWhereTheStoreKeepsThemAll() {
        onStore(mongo -> {
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", "c-1"));

            new ReadModelIndexes(true).ensureOrderIndexes(mongo, COLLECTION, List.of(BY_REVENUE), List.of(BY_NAME));

            assertThat(indexedFields(mongo)).containsExactlyInAnyOrder(List.of("_id"), List.of("netRevenue", "_id"),
                    List.of("nameKey", "_id"));
        });
    }

    private static List<List<String>> indexedFields(MongoTemplate mongo) {
        return mongo.indexOps(COLLECTION).getIndexInfo().stream()
                .map(IndexInfo::getIndexFields)
                .map(fields -> fields.stream().map(field -> field.getKey()).toList())
                .toList();
    }

    private void onStore(Consumer<MongoTemplate> use) {
        EmbeddedStoreOnFile.use(dir.resolve("readmodel.mv"), use);
    }
}
