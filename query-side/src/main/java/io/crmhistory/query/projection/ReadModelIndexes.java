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
 * order (a listing sorted by revenue, say, paged with keyset cursors) lets MongoDB answer a page by walking the
 * index instead of sorting every match. The embedded store cannot walk an index in order: it answers equality
 * on an index's first field and sorts whatever matched in memory, so there such an index is a B-tree entry
 * removed and added again on every write that changes the field, and no read ever uses it.
 */
public record ReadModelIndexes(boolean walksIndexesInOrder) {

    private static final Logger log = LoggerFactory.getLogger(ReadModelIndexes.class);

    /**
     * Creates these indexes, which serve only orders, on {@code collection} where the store can use them; elsewhere
     * drops those an earlier version of this service created, so their upkeep stops (each drop is logged with its
     * time: it is one command, which the embedded server answers alone). The collection's indexes are listed once.
     */
    public void ensureOrderIndexes(MongoOperations mongo, String collection, List<Index> orderIndexes) {
        IndexOperations indexes = mongo.indexOps(collection);
        if (walksIndexesInOrder) {
            orderIndexes.forEach(indexes::createIndex);
            return;
        }
        List<List<String>> orders = orderIndexes.stream()
                .map(index -> List.copyOf(index.getIndexKeys().keySet()))
                .toList();
        indexes.getIndexInfo().stream()
                .filter(existing -> orders.stream().anyMatch(existing::isIndexForFields))
                .map(IndexInfo::getName)
                .forEach(name -> {
                    long start = System.nanoTime();
                    indexes.dropIndex(name);
                    log.info("Dropped index {} of {} in {} ms: it serves only an order, which this store does not "
                            + "read from an index", name, collection, (System.nanoTime() - start) / 1_000_000);
                });
    }
}
