package io.crmhistory.query.projection;

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

    /**
     * Creates {@code index}, which serves only orders, where the store can use it; elsewhere drops it if an earlier
     * version of this service created it, so its upkeep stops.
     */
    public void ensureOrderIndex(IndexOperations indexes, Index index) {
        if (walksIndexesInOrder) {
            indexes.createIndex(index);
            return;
        }
        List<String> fields = List.copyOf(index.getIndexKeys().keySet());
        indexes.getIndexInfo().stream()
                .filter(existing -> existing.isIndexForFields(fields))
                .map(IndexInfo::getName)
                .forEach(indexes::dropIndex);
    }
}
