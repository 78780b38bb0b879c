package io.crmhistory.query.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.index.IndexOperations;

import java.util.List;

/**
 * Which of a read model's indexes are worth their upkeep on the store it runs on. An index kept only for an
 * order (a listing sorted by revenue, say, paged with keyset cursors) lets a sorted page be a walk of the index
 * instead of a sort of every match: MongoDB's, and the embedded store's since it walks an index on
 * ({@code field}, {@code _id}) in order ({@code OrderedWalk} in the embedded-mongo module). On the embedded store the
 * upkeep is the dearer part: every write that changes the field removes and adds a B-tree entry, and at a million
 * customers the directory's five order indexes cost about as much as the rest of its writes (session 20,
 * docs/benchmarks-log.md). So there only the orders a caller names as kept everywhere are created; the others exist on
 * MongoDB only.
 *
 * @param keepsEveryOrderIndex whether the store keeps every order index (MongoDB) or only those kept everywhere
 */
public record ReadModelIndexes(boolean keepsEveryOrderIndex) {

    private static final Logger log = LoggerFactory.getLogger(ReadModelIndexes.class);

    /** {@link #ensureOrderIndexes(MongoOperations, String, List, List)} with none kept everywhere. */
    public void ensureOrderIndexes(MongoOperations mongo, String collection, List<Index> mongoOnly) {
        ensureOrderIndexes(mongo, collection, List.of(), mongoOnly);
    }

    /**
     * Creates {@code everywhere} on {@code collection}, and {@code mongoOnly} where the store keeps every order index;
     * elsewhere drops those of {@code mongoOnly} an earlier version of this service created, so their upkeep stops
     * (each drop is logged with its time: it is one command, which the embedded server answers alone). The
     * collection's indexes are listed once.
     */
    public void ensureOrderIndexes(MongoOperations mongo, String collection, List<Index> everywhere,
                                   List<Index> mongoOnly) {
        IndexOperations indexes = mongo.indexOps(collection);
        everywhere.forEach(indexes::createIndex);
        if (keepsEveryOrderIndex) {
            mongoOnly.forEach(indexes::createIndex);
            return;
        }
        List<List<String>> orders = mongoOnly.stream()
                .map(index -> List.copyOf(index.getIndexKeys().keySet()))
                .toList();
        indexes.getIndexInfo().stream()
                .filter(existing -> orders.stream().anyMatch(existing::isIndexForFields))
                .map(IndexInfo::getName)
                .forEach(name -> {
                    long start = System.nanoTime();
                    indexes.dropIndex(name);
                    log.info("Dropped index {} of {} in {} ms: it serves only an order, whose upkeep this store "
                            + "leaves to MongoDB", name, collection, (System.nanoTime() - start) / 1_000_000);
                });
    }
}
