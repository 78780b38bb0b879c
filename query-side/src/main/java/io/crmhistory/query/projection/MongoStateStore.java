package io.crmhistory.query.projection;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps a read model's customer states in one collection (the customer id is the document id) and its
 * side documents, if any, in another. States are replaced whole with upserts, side documents are upserted
 * by their id, so writing the same batch twice leaves the same documents. Unordered bulk writes: the
 * documents of one batch are independent of each other.
 */
public final class MongoStateStore<S extends SequencedState> implements CustomerProjector.Store<S> {

    private final MongoTemplate mongo;
    private final Class<S> type;
    private final String collection;
    private final String sideCollection;
    private final Function<Object, String> sideIdOf;

    public MongoStateStore(MongoTemplate mongo, Class<S> type, String collection) {
        this(mongo, type, collection, null, null);
    }

    public MongoStateStore(MongoTemplate mongo, Class<S> type, String collection, String sideCollection,
                           Function<Object, String> sideIdOf) {
        this.mongo = mongo;
        this.type = type;
        this.collection = collection;
        this.sideCollection = sideCollection;
        this.sideIdOf = sideIdOf;
    }

    @Override
    public Map<String, S> load(Collection<String> customerIds) {
        Map<String, S> states = new HashMap<>();
        if (customerIds.isEmpty()) {
            return states;
        }
        for (S state : mongo.find(Query.query(Criteria.where("_id").in(customerIds)), type, collection)) {
            states.put(state.id(), state);
        }
        return states;
    }

    /**
     * A page of every customer's state in id order, after {@code afterId} ({@code null} for the first page). The
     * first page asks for ids from "" on rather than for everything: the embedded store then reads it from its id
     * index instead of sorting the whole collection (customer ids are non-empty strings).
     */
    public List<S> page(String afterId, int size) {
        Criteria ids = afterId == null ? Criteria.where("_id").gte("") : Criteria.where("_id").gt(afterId);
        return mongo.find(Query.query(ids).with(Sort.by("_id")).limit(size), type, collection);
    }

    public Optional<S> find(String customerId) {
        return Optional.ofNullable(mongo.findById(customerId, type, collection));
    }

    @Override
    public void write(ProjectionBatch<S> batch) {
        if (!batch.changedStates().isEmpty()) {
            BulkOperations states = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type, collection);
            for (S state : batch.changedStates()) {
                states.replaceOne(byId(state.id()), state, FindAndReplaceOptions.options().upsert());
            }
            states.execute();
        }
        writeSideDocuments(batch.sideDocuments());
    }

    /** Upserts documents of the side collection by their id. */
    public void writeSideDocuments(List<Object> documents) {
        if (documents.isEmpty()) {
            return;
        }
        if (sideCollection == null) {
            throw new IllegalStateException(collection + " keeps no side documents");
        }
        BulkOperations side = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, sideCollection);
        for (Object document : documents) {
            side.replaceOne(byId(sideIdOf.apply(document)), document, FindAndReplaceOptions.options().upsert());
        }
        side.execute();
    }

    private static Query byId(String id) {
        return Query.query(Criteria.where("_id").is(id));
    }
}
