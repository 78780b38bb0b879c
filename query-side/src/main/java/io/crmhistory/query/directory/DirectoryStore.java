package io.crmhistory.query.directory;

import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelIndexes;
import io.crmhistory.query.projection.ReadModelStore;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of the directory's collection, indexed for its filters (segment, status) and, where the store can walk
 * an index in order, for every listing order.
 */
final class DirectoryStore implements ReadModelStore {

    static final String COLLECTION = "directory_customers";
    static final String SEGMENT = "segment";

    private final MongoTemplate mongo;
    private final String collection;
    private final MongoStateStore<DirectoryState> states;

    DirectoryStore(MongoTemplate mongo, ProjectionVersion version, ReadModelIndexes indexes) {
        this.mongo = mongo;
        this.collection = version.collection(COLLECTION);
        this.states = new MongoStateStore<>(mongo, DirectoryState.class, collection);
        // By revenue everywhere, so the most valuable customers come first without a sort of everyone (SPEC); the
        // other orders' upkeep is left to MongoDB (ReadModelIndexes).
        indexes.ensureOrderIndexes(mongo, collection, List.of(orderIndex(CustomerSort.Field.NET_REVENUE)),
                Arrays.stream(CustomerSort.Field.values()).filter(field -> field != CustomerSort.Field.NET_REVENUE)
                        .map(DirectoryStore::orderIndex).toList());
        mongo.indexOps(collection).createIndex(new Index().on("status", Sort.Direction.ASC));
        mongo.indexOps(collection).createIndex(new Index().on(SEGMENT, Sort.Direction.ASC));
    }

    private static Index orderIndex(CustomerSort.Field field) {
        return new Index().on(field.documentField(), Sort.Direction.ASC).on("_id", Sort.Direction.ASC);
    }

    MongoStateStore<DirectoryState> states() {
        return states;
    }

    Optional<DirectoryState> find(String customerId) {
        return states.find(customerId);
    }

    List<DirectoryState> find(Query query) {
        return mongo.find(query, DirectoryState.class, collection);
    }

    /**
     * The stored segment of each of these customers that has an entry ({@code null} for an entry without one), read
     * without mapping the entries.
     */
    Map<String, String> segmentsOf(Collection<String> customerIds) {
        Query query = Query.query(Criteria.where("_id").in(customerIds));
        query.fields().include(SEGMENT);
        Map<String, String> segments = new HashMap<>();
        for (Document entry : mongo.find(query, Document.class, collection)) {
            segments.put(entry.getString("_id"), entry.getString(SEGMENT));
        }
        return segments;
    }

    /**
     * Clears the entry's personal fields as {@link DirectoryLogic} does for an erasure, without moving its sequence
     * ({@link DirectoryReadModel#heldBehindDeadLetters}); forgets the remembered state.
     */
    void erasePersonalData(String customerId) {
        Update erased = new Update().set("name", null).set("email", null).set("phone", null)
                .set("nameKey", DirectoryLogic.key(null)).set("emailKey", DirectoryLogic.key(null))
                .set("personalDataErased", true);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId)), erased, collection);
        states.forget(List.of(customerId));
    }

    BulkOperations bulk() {
        return mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, DirectoryState.class, collection);
    }

    @Override
    public List<String> collections() {
        return List.of(collection);
    }
}
