package io.crmhistory.query.ops;

import io.crmhistory.query.projection.EmbeddedStoreOnFile;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A retired collection on the embedded store is emptied page by page, then dropped, and nothing else is touched. */
class RetiredCollectionsTest {

    @TempDir
    Path dir;

    @Test
    void aRetiredCollectionIsEmptiedInPagesThenDropped() {
        EmbeddedStoreOnFile.use(dir.resolve("readmodel.mv"), mongo -> {
            List<Document> items = new ArrayList<>();
            for (int i = 0; i < 1_234; i++) {
                items.add(new Document("_id", "item-" + i).append("customerId", "c-" + i % 10));
            }
            items.add(new Document("_id", 42)); // not a string: goes with the drop
            mongo.getCollection("history_items_v1").insertMany(items);
            mongo.indexOps("history_items_v1").ensureIndex(new org.springframework.data.mongodb.core.index.Index()
                    .on("customerId", org.springframework.data.domain.Sort.Direction.ASC));
            mongo.getCollection("history_items_v2").insertOne(new Document("_id", "item-1"));

            RetiredCollections retired = new RetiredCollections(mongo, true, 100);
            retired.emptyInPages("history_items_v1");
            assertThat(mongo.getCollection("history_items_v1").find().map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly(42);

            retired.drop("history_items_v1");

            assertThat(mongo.collectionExists("history_items_v1")).isFalse();
            assertThat(mongo.getCollection("history_items_v2").countDocuments()).isEqualTo(1);
        });
    }
}
